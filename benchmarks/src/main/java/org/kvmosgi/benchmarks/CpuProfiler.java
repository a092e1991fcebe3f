package org.kvmosgi.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * CPU time per operation, as {@code -prof gc} gives bytes per operation: on a machine other
 * builds share, the wall time of an operation grows with the time the benchmark thread waits
 * for a core, its CPU time does not. {@code cpu.time.norm} (µs/op) is the benchmark threads'
 * own (JMH's workers); {@code cpu.process.norm} the whole forked JVM's, which adds what the
 * operations cost the JIT's and GC's threads (code defined at each operation is compiled
 * again and again).
 */
public final class CpuProfiler implements InternalProfiler {
    static final String NORM = "cpu.time.norm";
    static final String PROCESS_NORM = "cpu.process.norm";

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private long before;
    private long workersBefore;

    @Override
    public String getDescription() {
        return "process CPU time per operation";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        before = os.getProcessCpuTime();
        workersBefore = workers();
    }

    /** The CPU time of JMH's benchmark threads so far (they live across iterations). */
    private long workers() {
        long sum = 0;
        for (java.lang.management.ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t != null && t.getThreadName().contains("jmh-worker")) {
                long c = threads.getThreadCpuTime(t.getThreadId());
                sum += Math.max(c, 0);
            }
        }
        return sum;
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
            IterationResult result) {
        long process = os.getProcessCpuTime() - before;
        long worker = workers() - workersBefore;
        long ops = result.getMetadata() == null ? 0 : result.getMetadata().getAllOps();
        return List.of(new ScalarResult(NORM, perOp(worker, ops), "us/op", AggregationPolicy.AVG),
                new ScalarResult(PROCESS_NORM, perOp(process, ops), "us/op", AggregationPolicy.AVG));
    }

    private static double perOp(long ns, long ops) {
        return ops == 0 ? Double.NaN : ns / 1000.0 / ops;
    }
}
