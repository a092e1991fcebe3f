package org.kvmosgi.testsupport.kit;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
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

    /**
     * One line of /proc/modules.
     *
     * @param usedBy the holders column as the kernel prints it ({@code kvm_intel,}, {@code [permanent],}, {@code -})
     * @param address the address column ({@code 0x...})
     * @param taints the taint flags column ({@code (P)}, {@code (OE)}), empty when the module taints nothing
     */
    public record Module(String name, long size, int refcnt, List<String> holders, boolean permanent, String state,
            String usedBy, String address, String taints) {}

    /** A system call a test makes for its errno ({@link #errno}). */
    @FunctionalInterface
    public interface Call {
        void call() throws ErrnoException;
    }

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
            out.add(new Module(f[0], Long.parseLong(f[1]), Integer.parseInt(f[2]), holders, permanent, f[4],
                    f[3], f.length > 5 ? f[5] : "", f.length > 6 ? f[6] : ""));
        }
        return out;
    }

    /** The loaded modules' names in /proc/modules order (newest first). */
    public List<String> loaded() {
        return modules().stream().map(Module::name).toList();
    }

    /** The module's /proc/modules line, or null when the kernel does not hold it. */
    public Module module(String name) {
        String n = name.replace('-', '_');
        return modules().stream().filter(m -> m.name().equals(n)).findFirst().orElse(null);
    }

    /** /sys/module/NAME/initstate ({@code live}, {@code coming}, {@code going}), or null when there is no such module. */
    public String initstate(String name) {
        String path = "/sys/module/" + name.replace('-', '_') + "/initstate";
        try {
            return sys.read(path).trim();
        } catch (ErrnoException e) {
            if (e.errno() != Errno.ENOENT.value()) {
                throw new AssertionError("reading " + path + ": expected the file or ENOENT, got " + e.strerror(), e);
            }
            return null;
        }
    }

    /** /sys/module/NAME/refcnt. */
    public int refcnt(String name) {
        return Integer.parseInt(read("/sys/module/" + name + "/refcnt").trim());
    }

    /** /sys/module/NAME/holders: the modules that use this one. */
    public List<String> holders(String name) {
        return list("/sys/module/" + name + "/holders");
    }

    /** /sys/module/NAME/parameters/PARAM without the newline every sysfs value ends with (asserted). */
    public String param(String module, String param) {
        String v = read("/sys/module/" + module + "/parameters/" + param);
        if (!v.endsWith("\n")) {
            throw new AssertionError("sysfs values end with a newline: " + v);
        }
        return v.substring(0, v.length() - 1);
    }

    /** /proc/sys/kernel/tainted. */
    public long tainted() {
        return Long.parseLong(read("/proc/sys/kernel/tainted").trim());
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
        String path = ko(name);
        return errno(() -> sys.finitModule(path, params, 0));
    }

    /** insmod of the module's file, which must succeed. */
    public void insmod(String name) {
        insmod(name, "");
    }

    /** insmod of the module's file with parameters ({@code "a=1 b=x"}), which must succeed. */
    public void insmod(String name, String params) {
        int e = finitModule(name, params);
        if (e != 0) {
            throw new AssertionError("insmod " + name + (params.isEmpty() ? "" : " " + params) + ": " + strerror(e)
                    + "; dmesg:\n" + String.join("\n", dmesg()));
        }
    }

    /** rmmod ({@code delete_module(name, O_NONBLOCK)}), which must succeed. */
    public void rmmod(String name) {
        int e = deleteModule(name, Syscalls.O_NONBLOCK);
        if (e != 0) {
            throw new AssertionError("rmmod " + name + ": " + strerror(e) + "; /proc/modules:\n" + read("/proc/modules"));
        }
    }

    private static String strerror(int errno) {
        Errno e = Errno.of(errno);
        return e == null ? "errno " + errno : "-" + e.name() + " (" + e.strerror() + ")";
    }

    /** rmmod's system call ({@code delete_module(name, flags)}): 0, or the errno it failed with (positive). */
    public int deleteModule(String name, int flags) {
        return errno(() -> sys.deleteModule(name, flags));
    }

    /**
     * A test's cleanup: {@code delete_module(name, O_NONBLOCK)} of each module in this order,
     * never forced (forced removal taints); one that is not loaded or in use is left as it is.
     */
    public void unload(String... names) {
        for (String n : names) {
            deleteModule(n, Syscalls.O_NONBLOCK);
        }
    }

    /** An ioctl's result, or -errno. */
    public long ioctl(int fd, int cmd, Object arg) {
        try {
            return sys.ioctl(fd, cmd, arg);
        } catch (ErrnoException e) {
            return -e.errno();
        }
    }

    /** A system call's errno: 0 when it succeeded, else the positive errno it failed with. */
    public static int errno(Call call) {
        try {
            call.call();
            return 0;
        } catch (ErrnoException e) {
            return e.errno();
        }
    }

    // ------------------------------------------------------------ logs

    /**
     * dmesg since the last {@link #clearDmesg()}, without the timestamps; each line must carry
     * one ({@code [    1.234567] }), as the kernel's printk always stamps them.
     */
    public List<String> dmesg() {
        List<String> out = new ArrayList<>();
        for (String line : sys.syslog(false)) {
            if (!STAMPED.matcher(line).matches()) {
                throw new AssertionError("dmesg line format: " + line);
            }
            out.add(line.substring(line.indexOf("] ") + 2));
        }
        return out;
    }

    private static final Pattern STAMPED = Pattern.compile("\\[ *\\d+\\.\\d{6}\\] .*");

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

    /** A directory's entries. */
    public List<String> list(String path) {
        try {
            return sys.list(path);
        } catch (ErrnoException e) {
            throw new AssertionError("cannot list " + path + ": " + e.strerror(), e);
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
