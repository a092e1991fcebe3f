package org.kvmosgi.testsupport.kit;

import java.util.ArrayList;
import java.util.List;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.syscall.Syscalls;

/**
 * What a test reads of the kernel, through the system calls as user space does:
 * /proc/modules, /sys/module, dmesg without timestamps, kmemleak, the module files;
 * and fault injection through debugfs's fail_function files.
 */
public final class Kernel {
    static final String FAIL_FUNCTION = "/sys/kernel/debug/fail_function";
    static final String KMEMLEAK = "/sys/kernel/debug/kmemleak";

    /** One line of /proc/modules. */
    public record Module(String name, long size, int refcnt, List<String> holders, boolean permanent, String state) {}

    private final Syscalls sys;

    public Kernel(Syscalls sys) {
        this.sys = sys;
    }

    public Syscalls syscalls() {
        return sys;
    }

    // ------------------------------------------------------------ modules

    public List<Module> modules() {
        List<Module> out = new ArrayList<>();
        for (String line : read("/proc/modules").split("\n")) {
            String[] f = line.split(" ");
            if (f.length < 5) {
                continue;
            }
            List<String> holders = new ArrayList<>();
            boolean permanent = false;
            for (String h : f[3].split(",")) {
                if (h.equals("[permanent]")) {
                    permanent = true;
                } else if (!h.isEmpty() && !h.equals("-")) {
                    holders.add(h);
                }
            }
            out.add(new Module(f[0], Long.parseLong(f[1]), Integer.parseInt(f[2]), holders, permanent, f[4]));
        }
        return out;
    }

    /** The module's /proc/modules line, or null when the kernel does not hold it. */
    public Module module(String name) {
        String n = name.replace('-', '_');
        return modules().stream().filter(m -> m.name().equals(n)).findFirst().orElse(null);
    }

    /** /sys/module/NAME/initstate ({@code live}, {@code coming}, {@code going}), or null. */
    public String initstate(String name) {
        try {
            return sys.read("/sys/module/" + name.replace('-', '_') + "/initstate").trim();
        } catch (ErrnoException e) {
            return null;
        }
    }

    /** The path of a module's file below /lib/modules/RELEASE ({@code mod_x} finds {@code mod-x.ko}). */
    public String ko(String name) {
        String want = name.replace('_', '-') + ".ko";
        String found = find("/lib/modules/" + sys.kernelRelease(), want);
        if (found == null) {
            throw new AssertionError("no " + want + " below /lib/modules/" + sys.kernelRelease());
        }
        return found;
    }

    private String find(String dir, String file) {
        List<String> entries;
        try {
            entries = sys.list(dir);
        } catch (ErrnoException notADirectory) {
            return null;
        }
        for (String e : entries) {
            if (e.equals(file)) {
                return dir + "/" + e;
            }
        }
        for (String e : entries) {
            String f = e.endsWith(".ko") ? null : find(dir + "/" + e, file);
            if (f != null) {
                return f;
            }
        }
        return null;
    }

    /** insmod's system call: 0, or the errno it failed with (positive). */
    public int finitModule(String name, String params) {
        try {
            sys.finitModule(ko(name), params, 0);
            return 0;
        } catch (ErrnoException e) {
            return e.errno();
        }
    }

    // ------------------------------------------------------------ logs

    /** dmesg since the last {@link #clearDmesg()}, without the timestamps. */
    public List<String> dmesg() {
        List<String> out = new ArrayList<>();
        for (String line : sys.syslog(false)) {
            int i = line.indexOf("] ");
            out.add(line.startsWith("[") && i > 0 ? line.substring(i + 2) : line);
        }
        return out;
    }

    /** dmesg -C. */
    public void clearDmesg() {
        sys.syslog(true);
    }

    /** kmemleak's report lines (empty: nothing suspected). */
    public List<String> leaks() {
        return read(KMEMLEAK).lines().filter(l -> !l.isBlank()).toList();
    }

    // ------------------------------------------------------------ fault injection

    /**
     * Arms a fail_function point ({@code loader:do_init_module}, {@code kvm_intel:hardware_setup}):
     * its next run fails with {@code errno} instead of running, once.
     */
    public void inject(String point, Errno errno) {
        inject(point, errno, 1);
    }

    /** Arms a point for {@code times} runs ({@code -1}: every run). */
    public void inject(String point, Errno errno, long times) {
        write(FAIL_FUNCTION + "/inject", point);
        write(FAIL_FUNCTION + "/" + point + "/retval", Integer.toString(errno.neg()));
        write(FAIL_FUNCTION + "/probability", "100");
        write(FAIL_FUNCTION + "/interval", "1");
        write(FAIL_FUNCTION + "/times", Long.toString(times));
    }

    /** Disarms every point. */
    public void clearInjections() {
        write(FAIL_FUNCTION + "/inject", "");
    }

    /** The fail_function points of the loader and of every module file's {@code @Module(steps=...)} loaded so far. */
    public List<String> injectable() {
        return read(FAIL_FUNCTION + "/injectable").lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
    }

    // ------------------------------------------------------------ files

    public String read(String path) {
        try {
            return sys.read(path);
        } catch (ErrnoException e) {
            throw new AssertionError("cannot read " + path + ": " + e.strerror(), e);
        }
    }

    public void write(String path, String value) {
        try {
            sys.write(path, value);
        } catch (ErrnoException e) {
            throw new AssertionError("cannot write '" + value + "' to " + path + ": " + e.strerror(), e);
        }
    }
}
