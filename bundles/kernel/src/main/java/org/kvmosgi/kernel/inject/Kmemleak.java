package org.kvmosgi.kernel.inject;

import java.util.ArrayList;
import java.util.List;

/**
 * kmemleak for the model: what a module still held when it went (after a failed init
 * or an unload) is a leak, kept here with the step that took it. Read through
 * {@code /sys/kernel/debug/kmemleak}; writing {@code clear} forgets the reports.
 */
public final class Kmemleak {
    /** One leaked resource: an allocation, a device, a module reference... */
    public record Leak(String module, String kind, String what, long size, long address, String step) {
        /** kmemleak's report block for it. */
        public String report() {
            return String.format("unreferenced object 0x%016x (size %d):%n  comm \"insmod\", module %s%n"
                    + "  %s: %s%n  backtrace:%n    [<%016x>] %s%n    [<%016x>] do_init_module%n",
                    address, size, module, kind, what, address, step, address);
        }
    }

    private final List<Leak> leaks = new ArrayList<>();
    /**
     * The file's text as last rendered, null once a leak was added or the reports cleared:
     * the explorer reads the file after every step, and formatting every report again each
     * time was a fifth of its deep levels' CPU once forced unloads had left a few.
     */
    private String rendered = "";

    public synchronized void add(List<Leak> found) {
        leaks.addAll(found);
        rendered = null;
    }

    public synchronized List<Leak> leaks() {
        return new ArrayList<>(leaks);
    }

    public synchronized void clear() {
        leaks.clear();
        rendered = "";
    }

    /** The content of /sys/kernel/debug/kmemleak. */
    public synchronized String render() {
        if (rendered == null) {
            StringBuilder sb = new StringBuilder();
            for (Leak l : leaks) {
                sb.append(l.report());
            }
            rendered = sb.toString();
        }
        return rendered;
    }
}
