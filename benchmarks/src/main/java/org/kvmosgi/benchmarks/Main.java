package org.kvmosgi.benchmarks;

import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * What benchmarks/run starts: runs the benchmark classes matching {@code --include} with
 * C2 and with C1 only (what ./kvmsh runs), then prints one table with each row's ratio to
 * the baseline measured in the same run. Options:
 * <pre>
 *   --include REGEX        benchmarks to run (default x86's ExitPathBenchmark)
 *   -p NAME=V1,V2          a @Param's values (repeatable), as JMH's -p
 *   --jit c2,c1            the compilers (default both); c2-noprofile is C2 without
 *                          receiver-type profiles (-XX:TypeProfileWidth=0)
 *   --compare NAME=BASE    the parameter whose ratio is printed (default style=direct)
 *   --prof gc,cpu          add JMH's GC profiler (the B/op column) and/or the process's
 *                          CPU time per operation (the CPU us/op column: the median over
 *                          the measured iterations; steadier than the time on a shared machine)
 *   --long                 the classes' own iteration times instead of the short ones
 *   --forks N              JVM forks per row (default 1); the median is over every fork's
 *                          iterations, so forks widen the sample to JIT decisions that differ
 *                          from one JVM to the next
 *   --iterations W,M       warm-up and measured iterations per fork
 *   --time MS              the length of each iteration
 * </pre>
 */
public final class Main {
    public static void main(String[] args) throws RunnerException {
        String include = "\\.ExitPathBenchmark\\."; // not PowerExitPathBenchmark
        String[] jits = {"c2", "c1"};
        String compare = "style=direct";
        boolean gc = false;
        boolean cpu = false;
        boolean longRun = false;
        int forks = 0;
        int[] iterations = null;
        int timeMs = 0;
        List<String[]> params = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String next = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--include": include = need(a, next); i++; break;
                case "--jit": jits = need(a, next).split(","); i++; break;
                case "--compare": compare = need(a, next); i++; break;
                case "--prof": {
                    for (String p : need(a, next).split(",")) {
                        switch (p) {
                            case "gc" -> gc = true;
                            case "cpu" -> cpu = true;
                            default -> usage("--prof takes gc and cpu: " + p);
                        }
                    }
                    i++;
                    break;
                }
                case "--long": longRun = true; break;
                case "--forks": forks = positive(a, need(a, next)); i++; break;
                case "--iterations": {
                    String[] wm = need(a, next).split(",");
                    if (wm.length != 2) usage("--iterations wants WARMUP,MEASURED: " + next);
                    iterations = new int[] {positive(a, wm[0]), positive(a, wm[1])};
                    i++;
                    break;
                }
                case "--time": timeMs = positive(a, need(a, next)); i++; break;
                case "-p": {
                    String p = need(a, next);
                    int eq = p.indexOf('=');
                    if (eq < 1) usage("-p wants NAME=V1,V2: " + p);
                    params.add(new String[] {p.substring(0, eq), p.substring(eq + 1)});
                    i++;
                    break;
                }
                default: usage("unknown option " + a);
            }
        }
        int eq = compare.indexOf('=');
        if (eq < 1) usage("--compare wants NAME=BASELINE: " + compare);
        RatioTable table = new RatioTable(compare.substring(0, eq), compare.substring(eq + 1));
        for (String jit : jits) {
            ChainedOptionsBuilder o = new OptionsBuilder().include(include).shouldFailOnError(true);
            for (String[] p : params) {
                o.param(p[0], p[1].split(","));
            }
            if (!longRun) {
                o.warmupIterations(4).warmupTime(TimeValue.milliseconds(200))
                        .measurementIterations(5).measurementTime(TimeValue.milliseconds(200));
            }
            if (forks > 0) {
                o.forks(forks);
            }
            if (iterations != null) {
                o.warmupIterations(iterations[0]).measurementIterations(iterations[1]);
            }
            if (timeMs > 0) {
                o.warmupTime(TimeValue.milliseconds(timeMs)).measurementTime(TimeValue.milliseconds(timeMs));
            }
            switch (jit) {
                case "c2": break;
                case "c1": o.jvmArgsAppend("-XX:TieredStopAtLevel=1"); break;
                // C2 without receiver-type profiles: an interface call it cannot prove
                // monomorphic stays an itable call, the JVM's indirect call
                case "c2-noprofile": o.jvmArgsAppend("-XX:TypeProfileWidth=0"); break;
                default: usage("--jit takes c2, c1 and c2-noprofile: " + jit);
            }
            if (gc) {
                o.addProfiler(GCProfiler.class);
            }
            if (cpu) {
                o.addProfiler(CpuProfiler.class);
            }
            table.add(jit, new Runner(o.build()).run());
        }
        System.out.println();
        table.print(System.out::println);
    }

    private static String need(String option, String value) {
        if (value == null) {
            usage(option + " needs a value");
        }
        return value;
    }

    private static int positive(String option, String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        usage(option + " wants a positive number: " + value);
        return 0;
    }

    private static void usage(String why) {
        System.err.println("benchmarks/run: " + why);
        System.err.println("usage: benchmarks/run [--include REGEX] [-p NAME=V1,V2]... [--jit c2,c1] [--compare NAME=BASE] [--prof gc,cpu] [--long] [--forks N] [--iterations W,M] [--time MS]");
        System.exit(2);
    }

    private Main() {}
}
