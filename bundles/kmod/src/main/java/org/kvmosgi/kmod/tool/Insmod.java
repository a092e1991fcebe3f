package org.kvmosgi.kmod.tool;

import java.io.PrintStream;
import java.util.Map;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kmod.lib.Getopt;
import org.kvmosgi.kmod.lib.Kmod;
import org.kvmosgi.kmod.lib.Log;

/** insmod [-f] FILE [param=value ...] (tools/insmod.c): finit_module on the file, no dependency handling. */
public final class Insmod extends Tool {
    private static final Getopt OPTS = new Getopt("insmod", "fsvVh",
            Map.of("force", "f", "syslog", "s", "verbose", "v", "version", "V", "help", "h"));
    private static final String HELP = "Usage:\n\tinsmod [options] filename [args]\nOptions:\n"
            + "\t-f, --force       DANGEROUS: forces a module load, may cause\n"
            + "\t                  data corruption and crash your machine\n"
            + "\t-s, --syslog      print to syslog, not stderr\n"
            + "\t-v, --verbose     enables more messages\n"
            + "\t-V, --version     show version\n"
            + "\t-h, --help        show this help\n";

    public Insmod(Syscalls sys, PrintStream out, PrintStream err) {
        super(sys, out, err, "insmod", Log.LOG_ERR);
    }

    @Override
    void run(String... args) {
        Getopt.Result r = options(OPTS, HELP, args);
        if (r == null) {
            return;
        }
        if (r.operands().isEmpty()) {
            log.err("missing filename.");
            log.exit(1);
            return;
        }
        String filename = r.operands().get(0);
        if (filename.equals("-")) {
            log.err("this tool does not support loading from stdin!");
            log.exit(1);
            return;
        }
        String opts = Modprobe.optionsFromArray(r.operands());
        int flags = r.has("f") ? Syscalls.MODULE_INIT_IGNORE_MODVERSIONS | Syscalls.MODULE_INIT_IGNORE_VERMAGIC : 0;
        if (!isRegularFile(filename)) {
            log.err("could not load module " + filename + ": " + Errno.ENOENT.strerror());
            log.exit(1);
            return;
        }
        Kmod kmod = kmod(null);
        int err = kmod.insert(absolute(filename), opts, flags);
        if (err < 0) {
            log.err("could not insert module " + filename + ": " + modStrerror(-err));
            log.exit(1);
            return;
        }
        log.exit(0);
    }

    /**
     * insmod's mod_strerror(): the kernel's errnos in words a module user understands. EEXIST
     * is not among them: insmod says "File exists" for a module already loaded, as kmod
     * (34 and master) does; only modprobe says "Module already in kernel".
     */
    public static String modStrerror(int errno) {
        Errno e = Errno.of(errno);
        if (e == null) {
            return Errno.strerror(errno);
        }
        return switch (e) {
            case ENOEXEC -> "Invalid module format";
            case ENOENT -> "Unknown symbol in module";
            case ESRCH -> "Module has wrong symbol version";
            case EINVAL -> "Invalid parameters";
            default -> e.strerror();
        };
    }
}
