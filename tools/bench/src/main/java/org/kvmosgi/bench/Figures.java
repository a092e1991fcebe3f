package org.kvmosgi.bench;

import java.util.Arrays;
import java.util.List;

/** One row of the report: a figure, the baseline measured beside it, and the target it is held to. */
record Figures(String what, double value, String unit, String baselineWhat, double baseline, String target,
        boolean met) {

    /** The median of samples in nanoseconds, in milliseconds. */
    static double medianMillis(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        int n = s.length;
        double mid = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
        return mid / 1e6;
    }

    double ratio() {
        return baseline > 0 ? value / baseline : Double.NaN;
    }

    /** The report as an aligned table, one row per figure. */
    static void print(List<Figures> rows, java.io.PrintStream out) {
        String fmt = "%-44s %10s   %-36s %10s %7s   %-18s %s%n";
        out.printf(fmt, "figure", "median", "baseline (same run)", "median", "ratio", "target", "met");
        for (Figures f : rows) {
            out.printf(fmt, f.what, format(f.value, f.unit), f.baselineWhat == null ? "-" : f.baselineWhat,
                    f.baselineWhat == null ? "-" : format(f.baseline, f.unit),
                    f.baselineWhat == null ? "-" : String.format("%.2fx", f.ratio()), f.target, f.target.equals("-") ? "-" : f.met ? "yes" : "NO");
        }
    }

    private static String format(double v, String unit) {
        return unit.equals("s") ? String.format("%.3f s", v) : String.format("%.3f ms", v);
    }
}
