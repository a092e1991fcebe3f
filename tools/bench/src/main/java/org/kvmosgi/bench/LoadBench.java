package org.kvmosgi.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.kvmosgi.explorer.FelixShell;
import org.kvmosgi.explorer.Shell;
import org.kvmosgi.launcher.RootFs;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Warm {@code modprobe kvm_intel} and {@code modprobe -r kvm_intel} (kvm and kvm_intel),
 * each round measured four ways on the same warm JVM, interleaved:
 * <ul>
 * <li>the loader: kmod's modprobe tool class called in this thread ({@link KmodModprobe}:
 * lookup, finit_module or delete_module, the kernel's loader, the bundles' start or stop),
 * without a shell;</li>
 * <li>the baseline: a raw framework start and stop of the same two bundles, whose
 * activators run the same loader;</li>
 * <li>modprobe typed into a Gogo session, and the raw start and stop typed into the same
 * session ({@code felix:start -t}, {@code felix:stop -t}): what a shell line costs.</li>
 * </ul>
 * The ratio target (loader overhead <= 1.5x a raw start) is the first against the
 * second; the absolute targets (2 ms, 1 ms) are modprobe typed into the shell, as a user
 * runs it.
 */
final class LoadBench {
    private LoadBench() {}

    static List<Figures> run(Path home, Path dir, int warmup, int rounds) throws Exception {
        try (FelixShell sh = FelixShell.boot(home, List.of(RootFs.PLATFORM, "kvm-x86"), "intel", dir)) {
            List<String> locations = moduleLocations(sh, dir.resolve("root"));
            KmodModprobe modprobe = KmodModprobe.in(sh.context());
            long[] toolLoad = new long[rounds];
            long[] toolUnload = new long[rounds];
            long[] load = new long[rounds];
            long[] unload = new long[rounds];
            long[] rawStart = new long[rounds];
            long[] rawStop = new long[rounds];
            long[] shellStart = new long[rounds];
            long[] shellStop = new long[rounds];
            // warm up for the rounds asked and at least 3 s: the JIT, and kmod keeps no parse of a
            // file changed in the last 2 s (the root was just laid out)
            long warmUntil = System.nanoTime() + 3_000_000_000L;
            int extra = 0;
            while (System.nanoTime() < warmUntil) {
                must(sh, "modprobe kvm_intel");
                must(sh, "modprobe -r kvm_intel");
                modprobe.run("kvm_intel");
                modprobe.run("-r", "kvm_intel");
                extra++;
            }
            for (int i = -Math.max(0, warmup - extra); i < rounds; i++) {
                long t0 = System.nanoTime();
                must(sh, "modprobe kvm_intel");
                long t1 = System.nanoTime();
                must(sh, "modprobe -r kvm_intel");
                long t2 = System.nanoTime();
                modprobe.run("kvm_intel");
                long t2a = System.nanoTime();
                modprobe.run("-r", "kvm_intel");
                long t2b = System.nanoTime();
                List<Bundle> mine = new ArrayList<>();
                List<Bundle> raw = installed(sh.context(), locations, mine);
                long t3 = System.nanoTime();
                for (Bundle b : raw) {
                    b.start(Bundle.START_TRANSIENT);
                }
                long t4 = System.nanoTime();
                for (int j = raw.size() - 1; j >= 0; j--) {
                    raw.get(j).stop(Bundle.STOP_TRANSIENT);
                }
                long t5 = System.nanoTime();
                // the same transient start and stop typed into the same shell: what Gogo itself costs a line
                String ids = raw.get(0).getBundleId() + " " + raw.get(1).getBundleId();
                String reversed = raw.get(1).getBundleId() + " " + raw.get(0).getBundleId();
                long t6 = System.nanoTime();
                must(sh, "felix:start -t " + ids);
                long t7 = System.nanoTime();
                must(sh, "felix:stop -t " + reversed);
                long t8 = System.nanoTime();
                for (Bundle b : mine) {
                    b.uninstall();
                }
                if (i >= 0) {
                    toolLoad[i] = t2a - t2;
                    toolUnload[i] = t2b - t2a;
                    load[i] = t1 - t0;
                    unload[i] = t2 - t1;
                    rawStart[i] = t4 - t3;
                    rawStop[i] = t5 - t4;
                    shellStart[i] = t7 - t6;
                    shellStop[i] = t8 - t7;
                }
            }
            Shell.Result lsmod = sh.run("lsmod");
            if (lsmod.out().contains("kvm")) {
                throw new IllegalStateException("modules left loaded after the benchmark:\n" + lsmod.out());
            }
            double tl = Figures.medianMillis(toolLoad);
            double tu = Figures.medianMillis(toolUnload);
            double l = Figures.medianMillis(load);
            double u = Figures.medianMillis(unload);
            double rs = Figures.medianMillis(rawStart);
            double rt = Figures.medianMillis(rawStop);
            double ss = Figures.medianMillis(shellStart);
            double st = Figures.medianMillis(shellStop);
            List<Figures> out = new ArrayList<>();
            // the ratio target: the loader, no shell, against the raw calls
            out.add(new Figures("loader: modprobe kvm_intel, in-process", tl, "ms", "raw start of both bundles", rs,
                    "<= 1.5x", tl <= 1.5 * rs));
            out.add(new Figures("loader: modprobe -r kvm_intel, in-process", tu, "ms", "raw stop of both bundles", rt,
                    "<= 1.5x", tu <= 1.5 * rt));
            // as a user types them: the absolute targets, and against the raw calls typed into the same shell
            out.add(new Figures("modprobe kvm_intel typed into Gogo", l, "ms", "felix:start -t of both, typed", ss,
                    "<= 2 ms", l <= 2.0));
            out.add(new Figures("modprobe -r kvm_intel typed into Gogo", u, "ms", "felix:stop -t of both, typed", st,
                    "<= 1 ms", u <= 1.0));
            // no target: the shell's own cost of a line, and the typed modprobe against the raw calls
            out.add(new Figures("felix:start -t of both, typed", ss, "ms", "raw start of both bundles", rs, "-", true));
            out.add(new Figures("felix:stop -t of both, typed", st, "ms", "raw stop of both bundles", rt, "-", true));
            out.add(new Figures("modprobe kvm_intel typed into Gogo", l, "ms", "raw start of both bundles", rs, "-",
                    true));
            out.add(new Figures("modprobe -r kvm_intel typed into Gogo", u, "ms", "raw stop of both bundles", rt, "-",
                    true));
            return out;
        }
    }

    /**
     * The locations the kernel installs kvm and kvm_intel from, in load order: the host
     * paths of the files {@code modprobe --show-depends} names.
     */
    private static List<String> moduleLocations(FelixShell sh, Path root) {
        String deps = must(sh, "modprobe --show-depends kvm_intel");
        List<String> out = new ArrayList<>();
        for (String line : deps.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 2 && f[0].equals("insmod")) {
                out.add(root.resolve(f[1].substring(1)).toUri().toString());
            }
        }
        if (out.size() != 2) {
            throw new IllegalStateException("expected kvm and kvm_intel from modprobe --show-depends, got:\n" + deps);
        }
        return out;
    }

    /**
     * The kernel's own bundles when they stayed installed after the unload; else installs
     * them at the kernel's locations into {@code mine}, for the caller to uninstall again
     * so that the next modprobe finds the state the kernel left.
     */
    private static List<Bundle> installed(BundleContext ctx, List<String> locations, List<Bundle> mine)
            throws Exception {
        List<Bundle> out = new ArrayList<>();
        for (String location : locations) {
            Bundle b = ctx.getBundle(location);
            if (b == null) {
                b = ctx.installBundle(location);
                mine.add(b);
            }
            out.add(b);
        }
        return out;
    }

    static String must(Shell sh, String line) {
        Shell.Result r = sh.run(line);
        if (!r.ok()) {
            throw new IllegalStateException(line + ": status " + r.status() + ": " + r.err().trim());
        }
        return r.out();
    }
}
