package org.kvmosgi.kmod.tool;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kmod.lib.Getopt;
import org.kvmosgi.kmod.lib.Log;

/** uname [-asnrvmpio]: the model's utsname, read from the kernel's /proc files. */
public final class Uname extends Tool {
    private static final Getopt OPTS = new Getopt("uname", "asnrvmpio", Map.of("all", "a",
            "kernel-name", "s", "nodename", "n", "kernel-release", "r", "kernel-version", "v", "machine", "m",
            "processor", "p", "hardware-platform", "i", "operating-system", "o"));

    public Uname(Syscalls sys, PrintStream out, PrintStream err) {
        super(sys, out, err, "uname", Log.LOG_ERR);
    }

    @Override
    void run(String... args) {
        Getopt.Result r;
        try {
            r = OPTS.parse(args);
        } catch (Getopt.UsageError e) {
            usage(e, 1);
            return;
        }
        if (!r.operands().isEmpty()) {
            log.raw("uname: extra operand '" + r.operands().get(0) + "'");
            log.raw("Try 'uname --help' for more information.");
            log.exit(1);
            return;
        }
        boolean all = r.has("a");
        List<String> f = new ArrayList<>();
        boolean none = r.options().isEmpty();
        if (all || none || r.has("s")) {
            f.add("Linux");
        }
        if (all || r.has("n")) {
            f.add(nodename());
        }
        if (all || r.has("r")) {
            f.add(sys.kernelRelease());
        }
        if (all || r.has("v")) {
            f.add(kernelVersion());
        }
        if (all || r.has("m")) {
            f.add(machine());
        }
        // -p and -i print "unknown" on Linux unless asked for alone; -a omits them then
        if (!all && r.has("p")) {
            f.add("unknown");
        }
        if (!all && r.has("i")) {
            f.add("unknown");
        }
        if (all || r.has("o")) {
            f.add("GNU/Linux");
        }
        out.println(String.join(" ", f));
        out.flush();
    }

    private String read(String path) {
        try {
            return sys.read(path).strip();
        } catch (ErrnoException e) {
            return null;
        }
    }

    private String nodename() {
        String h = read("/proc/sys/kernel/hostname");
        return h == null || h.isEmpty() ? "kvmosgi" : h;
    }

    /** The part of /proc/version after the compiler note: "#1 SMP PREEMPT_DYNAMIC ...". */
    private String kernelVersion() {
        String v = read("/proc/sys/kernel/version");
        if (v != null) {
            return v;
        }
        String pv = read("/proc/version");
        if (pv != null) {
            int hash = pv.indexOf('#');
            if (hash >= 0) {
                return pv.substring(hash);
            }
        }
        return "#1";
    }

    /** The machine: /proc/sys/kernel/arch where the kernel has it (Linux 6.1+), else told by /proc/cpuinfo. */
    String machine() {
        String arch = read("/proc/sys/kernel/arch");
        if (arch != null && !arch.isEmpty()) {
            return arch;
        }
        String cpuinfo = read("/proc/cpuinfo");
        if (cpuinfo != null && !cpuinfo.contains("vendor_id")) {
            return cpuinfo.isEmpty() ? "unknown" : "ppc64le";
        }
        return "x86_64";
    }
}
