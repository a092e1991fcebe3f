package org.kvmosgi.kmod.tool;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kmod.lib.Getopt;
import org.kvmosgi.kmod.lib.Kmod;
import org.kvmosgi.kmod.lib.Log;
import org.kvmosgi.kmod.lib.ModName;

/**
 * rmmod [-f] NAME... (tools/rmmod.c): unless forced, the checks user space makes first
 * from /sys/module (loaded, holders, refcnt), then delete_module.
 */
public final class Rmmod extends Tool {
    private static final Getopt OPTS = new Getopt("rmmod", "fsvVh",
            Map.of("force", "f", "syslog", "s", "verbose", "v", "version", "V", "help", "h"));
    private static final String HELP = "Usage:\n\trmmod [options] modulename ...\nOptions:\n"
            + "\t-f, --force       forces a module removal (may crash your\n"
            + "\t                  machine). This requires Forced Module Removal\n"
            + "\t                  option in your kernel. DANGEROUS\n"
            + "\t-s, --syslog      print to syslog, not stderr\n"
            + "\t-v, --verbose     enables more messages\n"
            + "\t-V, --version     show version\n"
            + "\t-h, --help        show this help\n";

    public Rmmod(Syscalls sys, PrintStream out, PrintStream err) {
        super(sys, out, err, "rmmod", Log.LOG_ERR);
    }

    @Override
    void run(String... args) {
        Getopt.Result r = options(OPTS, HELP, args);
        if (r == null) {
            return;
        }
        if (r.operands().isEmpty()) {
            log.err("missing module name.");
            log.exit(1);
            return;
        }
        boolean force = r.has("f");
        Kmod kmod = kmod(null);
        int failures = 0;
        for (String arg : r.operands()) {
            // rmmod stat()s the argument: an existing file names the module by its basename
            String name = exists(arg) ? ModName.anyPathToModname(arg) : ModName.normalize(arg);
            if (!force && checkInUse(kmod, name) < 0) {
                failures++;
                continue;
            }
            int err = kmod.remove(name, force);
            if (err < 0) {
                log.err("could not remove module " + arg + ": " + Errno.strerror(-err));
                failures++;
            }
        }
        log.exit(failures == 0 ? 0 : 1);
    }

    /** check_module_inuse(): 0 when it may go, a negative errno after printing why not. */
    private int checkInUse(Kmod kmod, String name) {
        String state = kmod.initstate(name);
        if ("builtin".equals(state)) {
            log.err("Module " + name + " is builtin.");
            return Errno.ENOENT.neg();
        }
        if (state == null) {
            log.err("Module " + name + " is not currently loaded");
            return Errno.ENOENT.neg();
        }
        List<String> holders = kmod.holders(name);
        if (holders != null && !holders.isEmpty()) {
            log.err("Module " + name + " is in use by: " + String.join(" ", holders));
            return Errno.EBUSY.neg();
        }
        int refcnt = kmod.refcnt(name);
        if (refcnt > 0) {
            log.err("Module " + name + " is in use");
            return Errno.EBUSY.neg();
        }
        if (refcnt == Errno.ENOENT.neg()) {
            log.err("Module unloading is not supported");
        }
        return Math.min(refcnt, 0);
    }
}
