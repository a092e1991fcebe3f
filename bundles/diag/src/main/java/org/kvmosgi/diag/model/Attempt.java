package org.kvmosgi.diag.model;

import java.util.ArrayList;
import java.util.List;

/**
 * A module's last load attempt from /sys/kernel/debug/load_history: its result, the
 * step that failed (null for a success), the host profile and what the kernel printed.
 */
public record Attempt(String module, int ret, String step, String host, List<String> messages) {
    public Attempt {
        messages = List.copyOf(messages);
    }

    public boolean failed() {
        return ret < 0;
    }

    /** Whether fail_function forced this failure (its notice is among the attempt's messages). */
    public boolean injected() {
        return messages.stream().anyMatch(m -> m.contains("FAULT_INJECTION: forcing a failure"));
    }

    /**
     * The point fail_function forced, from its call trace in the attempt's messages, or
     * null. It can differ from {@link #step}: kvm.ko's steps run inside kvm_intel's init,
     * and the load history records the module being loaded.
     */
    public String injectedPoint() {
        for (int i = 0; i + 1 < messages.size(); i++) {
            if (messages.get(i).trim().equals("Call Trace:")) {
                return messages.get(i + 1).trim();
            }
        }
        return null;
    }

    /** Parses load_history: {@code name ret step host} lines, each followed by its tab-indented messages. */
    public static List<Attempt> parse(String text) {
        List<Attempt> out = new ArrayList<>();
        String[] head = null;
        List<String> msgs = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("\t")) {
                if (head != null) {
                    msgs.add(line.substring(1));
                }
                continue;
            }
            if (line.isBlank()) {
                continue;
            }
            if (head != null) {
                out.add(of(head, msgs));
            }
            head = SnapshotReader.words(line, 4);
            msgs = new ArrayList<>();
        }
        if (head != null) {
            out.add(of(head, msgs));
        }
        return out;
    }

    private static Attempt of(String[] head, List<String> msgs) {
        int ret;
        try {
            ret = head.length > 1 ? Integer.parseInt(head[1]) : 0;
        } catch (NumberFormatException e) {
            ret = 0;
        }
        String step = head.length > 2 && !head[2].equals("-") ? head[2] : null;
        String host = head.length > 3 ? head[3] : "";
        return new Attempt(head[0], ret, step, host, msgs);
    }
}
