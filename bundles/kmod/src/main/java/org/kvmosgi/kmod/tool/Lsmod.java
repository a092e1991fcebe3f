package org.kvmosgi.kmod.tool;

import java.io.PrintStream;
import java.util.List;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kmod.lib.Getopt;
import org.kvmosgi.kmod.lib.Kmod;
import org.kvmosgi.kmod.lib.Log;

/** lsmod (tools/lsmod.c): /proc/modules' order, size from coresize, refcnt and holders from /sys/module. */
public final class Lsmod extends Tool {
    private static final Getopt OPTS = new Getopt("lsmod", "svhV",
            java.util.Map.of("syslog", "s", "verbose", "v", "help", "h", "version", "V"));
    private static final String HELP = "Usage:\n\tlsmod [options]\nOptions:\n"
            + "\t-s, --syslog      print to syslog, not stderr\n"
            + "\t-v, --verbose     enables more messages\n"
            + "\t-V, --version     show version\n"
            + "\t-h, --help        show this help\n";
    public static final String HEADER = "Module                  Size  Used by";

    public Lsmod(Syscalls sys, PrintStream out, PrintStream err) {
        super(sys, out, err, "lsmod", Log.LOG_ERR);
    }

    @Override
    void run(String... args) {
        Getopt.Result r = options(OPTS, HELP, args);
        if (r == null) {
            return;
        }
        if (!r.operands().isEmpty()) {
            log.err("too many arguments provided.");
            log.exit(1);
            return;
        }
        Kmod kmod = kmod(null);
        List<String> names;
        try {
            names = kmod.loaded();
        } catch (ErrnoException e) {
            log.err("could not get list of modules: " + e.strerror());
            log.exit(1);
            return;
        }
        out.println(HEADER);
        for (String name : names) {
            List<String> holders = kmod.holders(name);
            out.println(row(name, kmod.size(name), kmod.refcnt(name), holders == null ? List.of() : holders));
        }
        out.flush();
        log.exit(0);
    }

    /** {@code printf("%-19s %8ld  %d", ...)}, then " a,b" when there are holders. */
    public static String row(String name, long size, int refcnt, List<String> holders) {
        StringBuilder b = new StringBuilder(String.format("%-19s %8d  %d", name, size, refcnt));
        if (!holders.isEmpty()) {
            b.append(' ').append(String.join(",", holders));
        }
        return b.toString();
    }
}
