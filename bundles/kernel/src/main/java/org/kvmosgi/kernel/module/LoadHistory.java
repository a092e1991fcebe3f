package org.kvmosgi.kernel.module;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last load attempt of each module name: its result, the step that failed and what
 * the kernel printed meanwhile. Diagnostics ("why is X not live?") read it through
 * {@code /sys/kernel/debug/load_history}; Linux keeps no such record, the model does so
 * that the answer needs no guessing.
 */
public final class LoadHistory {
    /** One attempt. {@code step} is null for a success. */
    public record Entry(String module, int ret, String step, List<String> messages, String host) {
        /** One line: {@code name ret step host} then the messages, tab-indented. */
        public String render() {
            StringBuilder sb = new StringBuilder();
            sb.append(module).append(' ').append(ret).append(' ').append(step == null ? "-" : step).append(' ')
                    .append(host).append('\n');
            for (String m : messages) {
                sb.append('\t').append(m).append('\n');
            }
            return sb.toString();
        }
    }

    private final Map<String, Entry> last = new LinkedHashMap<>();

    public synchronized void record(String module, int ret, String step, List<String> messages, String host) {
        last.remove(module);
        last.put(module, new Entry(module, ret, step, List.copyOf(messages), host));
    }

    public synchronized void clear() {
        last.clear();
    }

    public synchronized Entry last(String module) {
        return last.get(module);
    }

    public synchronized List<Entry> all() {
        return new ArrayList<>(last.values());
    }

    /** The attempts as {@link #all} returned them, in their order (the explorer's undo, see {@link Checkpoint}). */
    public synchronized void restore(List<Entry> entries) {
        last.clear();
        entries.forEach(e -> last.put(e.module(), e));
    }

    /** The content of /sys/kernel/debug/load_history, oldest first. */
    public synchronized String render() {
        StringBuilder sb = new StringBuilder();
        last.values().forEach(e -> sb.append(e.render()));
        return sb.toString();
    }
}
