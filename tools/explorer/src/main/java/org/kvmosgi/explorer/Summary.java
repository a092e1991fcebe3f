package org.kvmosgi.explorer;

import java.util.ArrayList;
import java.util.List;

/** The summary table and the reproducer scripts, as text. */
final class Summary {
    private Summary() {}

    static List<String> table(Explorer.Report r, String title) {
        List<String> out = new ArrayList<>();
        out.add(title);
        out.add(String.format("%-7s %10s %11s %11s %9s %12s", "depth", "sequences", "new states", "violations", "time",
                "sequences/s"));
        for (Explorer.Level l : r.levels()) {
            out.add(String.format("%-7s %10d %11d %11d %8.2fs %12s", l.depth() + (l.complete() ? "" : " (cut)"),
                    l.sequences(), l.newStates(), l.violations(), l.nanos() / 1e9, rate(l.sequences(), l.nanos())));
        }
        double secs = r.nanos() / 1e9;
        out.add(String.format("%-7s %10d %11d %11d %8.2fs %12s", "total", r.sequences(), r.states(),
                r.violations().size(), secs, rate(r.sequences(), r.nanos())));
        out.add(String.format("%.1f sequences/s; depth reached: %d", secs == 0 ? 0 : r.sequences() / secs,
                r.depthReached()));
        return out;
    }

    /** A level's rate, as the total's is printed: its first levels show the JIT's warm-up, the later ones the steady state. */
    private static String rate(int sequences, long nanos) {
        return nanos <= 0 ? "-" : String.format("%.0f", sequences / (nanos / 1e9));
    }

    /** A ./kvmsh script that shows the violation from a fresh boot. */
    static String reproducer(String message, List<String> lines, int number, String invocation) {
        StringBuilder sb = new StringBuilder();
        sb.append("# kvm-osgi explorer, violation ").append(number).append(": ").append(message).append('\n');
        sb.append("# run: ").append(invocation).append('\n');
        for (String l : lines) {
            if (l.startsWith("felix:start ") || l.startsWith("felix:stop ")) {
                // the explorer's platform numbered the bundle; a fresh boot numbers it by its first load
                sb.append("# the id is the explorer platform's: give the module's, as lb -s lists it\n");
            }
            sb.append(l).append('\n');
        }
        sb.append("invariants\n");
        return sb.toString();
    }
}
