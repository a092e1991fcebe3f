package org.kvmosgi.bench;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.kvmosgi.launcher.RootFs;

/**
 * {@code ./kvmsh -c lsmod} as a user runs it (script, JVM, boot, command, stop), against a
 * bare Felix with the same third-party bundles (SCR, ConfigAdmin, Gogo) started and
 * stopped by a JVM with kvmsh's flags and a class data archive of its own: both measured
 * as wall time of a process, alternately.
 */
final class BootBench {
    private BootBench() {}

    static List<Figures> run(Path home, Path kvmsh, Path dir, int runs) throws Exception {
        Path state = Files.createDirectories(dir.resolve("kvmsh-state"));
        List<String> lsmod = List.of(kvmsh.toString(), "-c", "lsmod");
        List<String> bare = bareCommand(home, dir);
        List<String> firstBare = new ArrayList<>(bare);
        // the first run writes the archive, as kvmsh's first run after a build does
        firstBare.add(1, "-XX:ArchiveClassesAtExit=" + dir.resolve("bare.jsa"));
        time(lsmod, state);
        time(firstBare, state);
        bare.add(1, "-XX:SharedArchiveFile=" + dir.resolve("bare.jsa"));
        long[] k = new long[runs];
        long[] b = new long[runs];
        long[] kCpu = new long[runs];
        long[] bCpu = new long[runs];
        for (int i = 0; i < runs; i++) {
            long c0 = childrenCpuNanos();
            k[i] = time(lsmod, state);
            long c1 = childrenCpuNanos();
            b[i] = time(bare, state);
            kCpu[i] = c1 - c0;
            bCpu[i] = childrenCpuNanos() - c1;
        }
        double km = Figures.medianMillis(k) / 1000;
        double bm = Figures.medianMillis(b) / 1000;
        List<Figures> out = new ArrayList<>();
        out.add(new Figures("./kvmsh -c lsmod", km, "s", "bare Felix + SCR, CM, Gogo boot+stop", bm, "<= 0.7 s",
                km <= 0.7));
        if (childrenCpuNanos() > 0) {
            // the work a boot does: far less sensitive to other load on the machine than its wall time
            double kc = Figures.medianMillis(kCpu) / 1000;
            double bc = Figures.medianMillis(bCpu) / 1000;
            out.add(new Figures("./kvmsh -c lsmod, CPU (user+sys)", kc, "s", "the same bare Felix, CPU", bc, "-",
                    true));
        }
        return out;
    }

    /**
     * The CPU time (user + system) of this process's children that have been waited for,
     * from /proc/self/stat (cutime, cstime; clock ticks of 10 ms); 0 where there is no /proc.
     */
    static long childrenCpuNanos() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // the fields after the command name, which is in parentheses and may hold spaces
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // cutime and cstime are fields 16 and 17 of proc(5): 14 and 15 after pid and comm
            long ticks = Long.parseLong(f[13]) + Long.parseLong(f[14]);
            return ticks * 10_000_000L;
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
    }

    private static List<String> bareCommand(Path home, Path dir) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        // kvmsh's own JVM flags for a short-lived shell
        cmd.add("@" + home.resolve("etc/jvm.args"));
        Path self = Path.of(BareFelix.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        cmd.add("-cp");
        cmd.add(home.resolve("lib") + File.separator + "*" + File.pathSeparator + self);
        cmd.add(BareFelix.class.getName());
        cmd.add(dir.resolve("bare-cache").toString());
        for (Path bundle : RootFs.create(home, List.of(RootFs.PLATFORM), dir.resolve("bare-root"))) {
            String p = bundle.toString().replace(File.separatorChar, '/');
            // the platform's third-party bundles, without ours and without the logging backend
            if (!p.contains("/org/kvmosgi/") && !p.contains("/org/ops4j/pax/logging/")) {
                cmd.add(bundle.toString());
            }
        }
        return cmd;
    }

    private static long time(List<String> cmd, Path state) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("KVMSH_STATE", state.toString());
        long t0 = System.nanoTime();
        int status = pb.start().waitFor();
        long t = System.nanoTime() - t0;
        if (status != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + ": exit status " + status);
        }
        return t;
    }
}
