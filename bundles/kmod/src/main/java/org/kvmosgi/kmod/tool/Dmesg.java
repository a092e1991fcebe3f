package org.kvmosgi.kmod.tool;

import java.io.PrintStream;
import java.util.Map;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kmod.lib.Getopt;
import org.kvmosgi.kmod.lib.Log;

/** dmesg [-c | -C] (util-linux): the kernel ring buffer via syslog(2). */
public final class Dmesg extends Tool {
    private static final Getopt OPTS = new Getopt("dmesg", "cCh",
            Map.of("read-clear", "c", "clear", "C", "help", "h"));

    public Dmesg(Syscalls sys, PrintStream out, PrintStream err) {
        super(sys, out, err, "dmesg", Log.LOG_ERR);
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
        if (r.has("h")) {
            out.print("\nUsage:\n dmesg [options]\n\nDisplay or control the kernel ring buffer.\n\nOptions:\n"
                    + " -C, --clear                 clear the kernel ring buffer\n"
                    + " -c, --read-clear            read and clear all messages\n"
                    + " -h, --help                  display this help\n");
            return;
        }
        if (!r.operands().isEmpty()) {
            log.raw("dmesg: bad usage");
            log.raw("Try 'dmesg --help' for more information.");
            log.exit(1);
            return;
        }
        if (r.has("C")) {
            sys.syslog(true);
            return;
        }
        for (String line : sys.syslog(r.has("c"))) {
            out.println(line);
        }
        out.flush();
    }
}
