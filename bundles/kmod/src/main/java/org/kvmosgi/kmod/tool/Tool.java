package org.kvmosgi.kmod.tool;

import java.io.PrintStream;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kmod.lib.Getopt;
import org.kvmosgi.kmod.lib.Kmod;
import org.kvmosgi.kmod.lib.KmodCache;
import org.kvmosgi.kmod.lib.Log;

/** What every tool shares: the system calls, stdout, and its stderr log. */
public abstract class Tool {
    final Syscalls sys;
    final PrintStream out;
    final Log log;
    /** Parsed indexes and configuration, shared between commands when the caller hands one in. */
    KmodCache cache = new KmodCache();

    Tool(Syscalls sys, PrintStream out, PrintStream err, String prog, int verbose) {
        this.sys = sys;
        this.out = out;
        this.log = new Log(prog, err, verbose);
    }

    /** Uses {@code shared} for what the tool parses, so that a later command finds it parsed. */
    public final Tool cachedIn(KmodCache shared) {
        this.cache = shared;
        return this;
    }

    /** libkmod's context for {@code release} (null: the running kernel's) over this tool's cache. */
    Kmod kmod(String release) {
        return new Kmod(sys, log, release == null ? sys.kernelRelease() : release, cache);
    }

    /** The model has no working directory of its own: relative paths are taken from '/'. */
    static String absolute(String path) {
        return path.startsWith("/") ? path : "/" + path;
    }

    /** stat(2) says "regular file" for a model path. */
    boolean isRegularFile(String path) {
        String abs = absolute(path);
        try {
            return !isVirtual(abs) && !cache.stat(sys, abs).directory();
        } catch (ErrnoException e) {
            return false;
        }
    }

    /** stat(2) succeeds for a model path (a file or a directory). */
    boolean exists(String path) {
        try {
            cache.stat(sys, absolute(path));
            return true;
        } catch (ErrnoException e) {
            return false;
        }
    }

    static boolean isVirtual(String abs) {
        return abs.startsWith("/proc") || abs.startsWith("/sys") || abs.startsWith("/dev");
    }

    /** A usage error as getopt prints it: the complaint, then the tool fails. */
    void usage(Getopt.UsageError e) {
        log.raw(e.getMessage());
        log.exit(1);
    }

    /** A usage error of a coreutils/util-linux tool: the complaint, the hint, and the tool's status. */
    void usage(Getopt.UsageError e, int status) {
        log.raw(e.getMessage());
        log.raw("Try '" + log.prog() + " --help' for more information.");
        log.exit(status);
    }

    /** What -V prints. */
    static final String VERSION = "kmod version 34 (kvm-osgi)";

    /**
     * Parses the options as getopt does and answers the two every kmod tool has: -h prints
     * {@code help}, -V the version. Null when the tool has nothing more to do.
     */
    Getopt.Result options(Getopt opts, String help, String... args) {
        Getopt.Result r;
        try {
            r = opts.parse(args);
        } catch (Getopt.UsageError e) {
            usage(e);
            return null;
        }
        if (r.has("h")) {
            out.print(help);
            return null;
        }
        if (r.has("V")) {
            out.println(VERSION);
            return null;
        }
        return r;
    }

    /** Runs the tool; fails with CommandFailure carrying its last stderr line. */
    abstract void run(String... args);

    /** Entry for the commands. */
    public final void main(String... args) {
        // an unset variable in Gogo's raw shell is a null: no word, as sh passes it
        run(org.kvmosgi.console.api.Words.of(args));
        // a tool that ends without saying how still shows what it printed on stderr
        log.exit(0);
    }
}
