package org.kvmosgi.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * JMH's results as rows: the steady-state median of the measurement iterations, JMH's
 * 99.9% error, and the ratio to the row with the baseline value of the compared
 * parameter (e.g. style=direct) that has the same other parameters and was measured in
 * the same run. The error of a ratio is propagated from both rows' relative errors.
 */
final class RatioTable {
    record Row(String compiler, String benchmark, Map<String, String> params, double median, double error,
            String unit, double allocPerOp, double cpuPerOp, double processCpuPerOp, double ratio, double ratioError) {}

    final String compareParam;
    final String baseline;
    final List<Row> rows = new ArrayList<>();

    RatioTable(String compareParam, String baseline) {
        this.compareParam = compareParam;
        this.baseline = baseline;
    }

    void add(String compiler, Collection<RunResult> results) {
        List<Row> added = new ArrayList<>();
        for (RunResult rr : results) {
            Result<?> primary = rr.getPrimaryResult();
            double[] scores = rr.getBenchmarkResults().stream()
                    .flatMap(b -> b.getIterationResults().stream())
                    .mapToDouble(i -> i.getPrimaryResult().getScore()).sorted().toArray();
            double median = median(scores);
            Result<?> alloc = rr.getSecondaryResults().get("gc.alloc.rate.norm");
            // the CPU time's median over the same iterations as the score's
            double[] cpu = secondaryScores(rr, CpuProfiler.NORM);
            double[] processCpu = secondaryScores(rr, CpuProfiler.PROCESS_NORM);
            String name = rr.getParams().getBenchmark();
            Map<String, String> params = new LinkedHashMap<>();
            for (String k : rr.getParams().getParamsKeys()) {
                params.put(k, rr.getParams().getParam(k));
            }
            added.add(new Row(compiler, name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1), params,
                    median, primary.getScoreError(), primary.getScoreUnit(), alloc == null ? Double.NaN : alloc.getScore(),
                    median(cpu), median(processCpu), Double.NaN, Double.NaN));
        }
        for (Row r : added) {
            Row base = baselineOf(r, added);
            if (base == null) {
                rows.add(r);
                continue;
            }
            double ratio = r.median / base.median;
            double rel = r == base ? 0 : Math.hypot(rel(r), rel(base));
            rows.add(new Row(r.compiler, r.benchmark, r.params, r.median, r.error, r.unit, r.allocPerOp, r.cpuPerOp,
                    r.processCpuPerOp, ratio, ratio * rel));
        }
    }

    /** A secondary result's score in each iteration, sorted. */
    private static double[] secondaryScores(RunResult rr, String name) {
        return rr.getBenchmarkResults().stream().flatMap(b -> b.getIterationResults().stream())
                .map(i -> i.getSecondaryResults().get(name)).filter(c -> c != null)
                .mapToDouble(Result::getScore).sorted().toArray();
    }

    private static double rel(Row r) {
        return Double.isNaN(r.error) || r.median == 0 ? 0 : r.error / r.median;
    }

    private Row baselineOf(Row r, List<Row> same) {
        if (!r.params.containsKey(compareParam)) {
            return null;
        }
        for (Row b : same) {
            if (b.benchmark.equals(r.benchmark) && baseline.equals(b.params.get(compareParam))) {
                Map<String, String> a = new LinkedHashMap<>(r.params);
                Map<String, String> c = new LinkedHashMap<>(b.params);
                a.remove(compareParam);
                c.remove(compareParam);
                if (a.equals(c)) {
                    return b;
                }
            }
        }
        return null;
    }

    static double median(double[] sorted) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }

    /** The table, aligned, one line per row. */
    void print(Consumer<String> out) {
        List<String> paramNames = new ArrayList<>();
        for (Row r : rows) {
            for (String k : r.params.keySet()) {
                if (!paramNames.contains(k)) {
                    paramNames.add(k);
                }
            }
        }
        boolean alloc = rows.stream().anyMatch(r -> !Double.isNaN(r.allocPerOp));
        boolean cpu = rows.stream().anyMatch(r -> !Double.isNaN(r.cpuPerOp));
        List<String[]> lines = new ArrayList<>();
        List<String> head = new ArrayList<>(List.of("jit", "benchmark"));
        head.addAll(paramNames);
        head.addAll(List.of("median", "±99.9%", "unit", "ratio to " + compareParam + "=" + baseline, "±"));
        if (alloc) {
            head.add("B/op");
        }
        if (cpu) {
            head.add("CPU us/op");
            head.add("process CPU us/op");
        }
        lines.add(head.toArray(new String[0]));
        for (Row r : rows) {
            List<String> l = new ArrayList<>(List.of(r.compiler, r.benchmark));
            for (String k : paramNames) {
                l.add(r.params.getOrDefault(k, "-"));
            }
            l.add(String.format("%.1f", r.median));
            l.add(String.format("%.1f", r.error));
            l.add(r.unit);
            l.add(Double.isNaN(r.ratio) ? "-" : String.format("%.3f", r.ratio));
            l.add(Double.isNaN(r.ratio) || r.ratioError == 0 ? "-" : String.format("%.3f", r.ratioError));
            if (alloc) {
                l.add(Double.isNaN(r.allocPerOp) ? "-" : String.format("%.3f", r.allocPerOp));
            }
            if (cpu) {
                l.add(Double.isNaN(r.cpuPerOp) ? "-" : String.format("%.1f", r.cpuPerOp));
                l.add(Double.isNaN(r.processCpuPerOp) ? "-" : String.format("%.1f", r.processCpuPerOp));
            }
            lines.add(l.toArray(new String[0]));
        }
        int[] width = new int[head.size()];
        for (String[] l : lines) {
            for (int i = 0; i < l.length; i++) {
                width[i] = Math.max(width[i], l[i].length());
            }
        }
        for (String[] l : lines) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < l.length; i++) {
                boolean number = i >= 2 + paramNames.size() && i != 4 + paramNames.size();
                String cell = number ? pad(l[i], width[i], true) : pad(l[i], width[i], false);
                sb.append(i == 0 ? "" : "  ").append(cell);
            }
            out.accept(sb.toString().stripTrailing());
        }
    }

    private static String pad(String s, int w, boolean right) {
        String fill = " ".repeat(w - s.length());
        return right ? fill + s : s + fill;
    }
}
