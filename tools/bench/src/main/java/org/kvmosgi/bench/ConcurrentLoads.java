package org.kvmosgi.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.kvmosgi.explorer.FelixShell;
import org.kvmosgi.explorer.Shell;
import org.kvmosgi.launcher.RootFs;

/**
 * The kernel selftest's kmod.sh scenario 0008 (58 threads, 150 rounds): each round the
 * module is removed, then 58 threads, each in a Gogo session of its own, run
 * {@code modprobe MODULE} at the same moment. A round is correct when every modprobe
 * succeeded, the module is live and its init ran exactly once.
 */
final class ConcurrentLoads {
    static final String MODULE = "mod_exporter";

    private ConcurrentLoads() {}

    static Figures run(Path home, Path dir, int threads, int rounds) throws Exception {
        try (FelixShell sh = FelixShell.boot(home, List.of(RootFs.PLATFORM, "fixtures"), "intel", dir)) {
            List<FelixShell> sessions = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                sessions.add(sh.openSession());
            }
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CyclicBarrier start = new CyclicBarrier(threads);
            int inits = inits(sh);
            long t0 = System.nanoTime();
            try {
                for (int round = 0; round < rounds; round++) {
                    List<Future<Shell.Result>> results = new ArrayList<>();
                    for (FelixShell s : sessions) {
                        results.add(pool.submit(() -> {
                            start.await();
                            return s.run("modprobe " + MODULE);
                        }));
                    }
                    for (Future<Shell.Result> f : results) {
                        Shell.Result r = f.get();
                        if (!r.ok()) {
                            throw new IllegalStateException("round " + round + ": modprobe " + MODULE + ": status "
                                    + r.status() + ": " + r.err().trim());
                        }
                    }
                    int now = inits(sh);
                    if (now != inits + 1) {
                        throw new IllegalStateException("round " + round + ": init ran " + (now - inits) + " times");
                    }
                    inits = now;
                    LoadBench.must(sh, "modprobe -r " + MODULE);
                }
            } finally {
                pool.shutdownNow();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            return new Figures(threads + " threads x " + rounds + " rounds of modprobe (0008)", seconds, "s", null, 0,
                    "<= 5 s, all correct", seconds <= 5.0);
        }
    }

    /** How often the module's init has run: its "init" lines in dmesg. */
    private static int inits(Shell sh) {
        int n = 0;
        for (String line : LoadBench.must(sh, "dmesg").split("\n")) {
            if (line.endsWith(MODULE + ": init")) {
                n++;
            }
        }
        return n;
    }
}
