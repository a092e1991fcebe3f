package org.kvmosgi.diag.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One initcall as {@code initcall_debug} logged it: the function, its module, the pid
 * that ran it, when it started (dmesg time) and how long it took. Parsed from dmesg
 * lines as Linux's scripts/bootgraph.pl parses them.
 *
 * @param function the init function ({@code vmx_init})
 * @param module the module in brackets after the symbol, empty for a built-in initcall
 * @param startMicros the {@code calling} line's timestamp, in microseconds since boot
 * @param usecs the duration the {@code initcall} line reports
 * @param ret what the init function returned
 */
public record Initcall(String function, String module, long pid, long startMicros, long usecs, int ret) {
    private static final String TIME = "^\\[\\s*(\\d+)\\.(\\d{6})\\] ";
    private static final String SYMBOL = "(\\S+?)\\+0x[0-9a-f]+/0x[0-9a-f]+(?: \\[(\\S+)\\])?";
    private static final Pattern CALLING = Pattern.compile(TIME + "calling  " + SYMBOL + " @ (\\d+)$");
    private static final Pattern RETURNED = Pattern.compile(
            TIME + "initcall " + SYMBOL + " returned (-?\\d+) after (\\d+) usecs$");

    public long endMicros() {
        return startMicros + usecs;
    }

    public boolean failed() {
        return ret < 0;
    }

    /** {@code vmx_init [kvm_intel]}, or the bare function of a built-in. */
    public String label() {
        return module.isEmpty() ? function : function + " [" + module + "]";
    }

    /**
     * The initcalls of a kernel log, in the order they were called: each {@code calling}
     * line paired with the {@code initcall} line of the same symbol that follows it. A call
     * that has not returned (yet) is left out, as bootgraph.pl leaves it.
     */
    public static List<Initcall> parse(List<String> dmesg) {
        List<Initcall> out = new ArrayList<>();
        Map<String, Integer> open = new HashMap<>();
        List<long[]> starts = new ArrayList<>();
        List<String[]> names = new ArrayList<>();
        for (String line : dmesg) {
            Matcher c = CALLING.matcher(line);
            if (c.matches()) {
                String key = c.group(3) + " " + nullToEmpty(c.group(4));
                open.put(key, starts.size());
                starts.add(new long[] {micros(c), Long.parseLong(c.group(5))});
                names.add(new String[] {c.group(3), nullToEmpty(c.group(4))});
                out.add(null);
                continue;
            }
            Matcher r = RETURNED.matcher(line);
            if (r.matches()) {
                Integer i = open.remove(r.group(3) + " " + nullToEmpty(r.group(4)));
                if (i != null) {
                    out.set(i, new Initcall(names.get(i)[0], names.get(i)[1], starts.get(i)[1], starts.get(i)[0],
                            Long.parseLong(r.group(6)), Integer.parseInt(r.group(5))));
                }
            }
        }
        out.removeIf(java.util.Objects::isNull);
        return out;
    }

    private static long micros(Matcher m) {
        return Long.parseLong(m.group(1)) * 1_000_000 + Long.parseLong(m.group(2));
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
