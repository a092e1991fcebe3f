package org.kvmosgi.kernel.dev;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.Printk;
import org.kvmosgi.kernel.api.dev.FileOperations;
import org.kvmosgi.kernel.api.dev.MiscDevice;
import org.kvmosgi.kernel.api.dev.OpenFile;

/**
 * The device registry (misc devices under /dev) and the file descriptor table of the
 * one user-space process the shell is. An open file pins the module that owns its
 * operations, as fops->owner does: one instance of it. When a forced unload frees that
 * instance with the file still open, the file's operations are freed code: every later
 * call into them oopses and reaches no module, neither the freed one nor a later load of
 * the same name.
 */
public final class Devices {
    /** fd 0-2 are stdin, stdout and stderr. */
    private static final int FIRST_FD = 3;

    /** Who calls f_op->unlocked_ioctl, and f_op->release (from task work, after close returned). */
    private static final List<String> IOCTL_TRACE = List.of("__x64_sys_ioctl", "do_syscall_64",
            "entry_SYSCALL_64_after_hwframe");
    private static final List<String> RELEASE_TRACE = List.of("__fput", "task_work_run",
            "syscall_exit_to_user_mode", "do_syscall_64", "entry_SYSCALL_64_after_hwframe");

    /** One instance of a module, as a struct module pointer names it. */
    public interface Owner {
        /** Whether this instance was freed (unloaded): its code and its count are gone. */
        boolean freed();
    }

    /** try_module_get and module_put, as the module loader counts them, on one instance. */
    public interface ModuleRefs {
        /** try_module_get by name: the instance pinned, or null when it cannot be. */
        Owner tryModuleGet(String module);

        void modulePut(Owner module);

        /** The oops of a call into the text of {@code freed} from the kernel functions {@code callers}. */
        void oopsInFreedText(Owner freed, List<String> callers);
    }

    private final Printk printk;
    /** try_module_get / module_put on a file's owner. */
    private final ModuleRefs refs;
    private final Map<String, Misc> misc = new ConcurrentHashMap<>();
    private final Map<Integer, FileImpl> fds = new TreeMap<>();

    public Devices(Printk printk, ModuleRefs refs) {
        this.printk = printk;
        this.refs = refs;
    }

    /** A registered misc device and who registered it. */
    record Misc(String name, String owner, String registeredBy, FileOperations fops) implements MiscDevice {}

    /** misc_register; null (-EBUSY) when the name is taken. */
    public MiscDevice miscRegister(String registeredBy, String name, String owner, FileOperations fops) {
        Misc m = new Misc(name, owner.replace('-', '_'), registeredBy, fops);
        return misc.putIfAbsent(name, m) == null ? m : null;
    }

    public void miscDeregister(MiscDevice device) {
        misc.remove(device.name(), device);
    }

    /** The names under /dev. */
    public List<String> deviceNames() {
        return misc.keySet().stream().sorted().toList();
    }

    /** Devices still registered by a module (for leak checks). */
    public List<String> registeredBy(String module) {
        // at every unload, which almost always finds none: no stream, no list for that
        List<String> out = null;
        for (Misc m : misc.values()) {
            if (m.registeredBy.equals(module)) {
                if (out == null) {
                    out = new java.util.ArrayList<>();
                }
                out.add(m.name);
            }
        }
        if (out == null) {
            return List.of();
        }
        out.sort(null);
        return List.copyOf(out);
    }

    /** open(2) of /dev/NAME: the fd, or -errno. */
    public int open(String name) {
        Misc m = misc.get(name);
        if (m == null) {
            return Errno.ENOENT.neg();
        }
        return install("/dev/" + name, m.owner, m.fops, null, true);
    }

    private int install(String path, String owner, FileOperations fops, Object data, boolean callOpen) {
        Owner module = refs.tryModuleGet(owner);
        if (module == null) {
            return Errno.ENODEV.neg();
        }
        FileImpl f = new FileImpl(path, module, fops);
        f.data = data;
        if (callOpen) {
            int r;
            try {
                r = fops.open(f);
            } catch (RuntimeException e) {
                printk.err("BUG: open of %s threw %s", path, e);
                r = Errno.EFAULT.neg();
            }
            if (r < 0) {
                refs.modulePut(module);
                return r;
            }
        }
        synchronized (fds) {
            int fd = FIRST_FD;
            while (fds.containsKey(fd)) {
                fd++;
            }
            fds.put(fd, f);
            return fd;
        }
    }

    /** ioctl(2): the result, or -errno. */
    public long ioctl(int fd, int cmd, Object arg) {
        FileImpl f;
        synchronized (fds) {
            f = fds.get(fd);
        }
        if (f == null) {
            return Errno.EBADF.neg();
        }
        if (f.module.freed()) {
            refs.oopsInFreedText(f.module, IOCTL_TRACE);
            return Errno.EFAULT.neg();
        }
        try {
            return f.fops.ioctl(f, cmd, arg);
        } catch (RuntimeException e) {
            // an oops in a driver: the call fails, the kernel goes on
            printk.err("BUG: ioctl 0x%x on %s threw %s", cmd, f.path, e);
            return Errno.EFAULT.neg();
        }
    }

    /**
     * close(2): 0 or -EBADF. The descriptor goes in any case; the release of a file whose
     * module was freed would run freed code (__fput after the close returned), so it
     * oopses instead, and no reference is put on the freed module.
     */
    public int close(int fd) {
        FileImpl f = take(fd);
        if (f == null) {
            return Errno.EBADF.neg();
        }
        if (f.module.freed()) {
            if (hasRelease(f.fops)) {
                refs.oopsInFreedText(f.module, RELEASE_TRACE);
            }
            return 0;
        }
        try {
            f.fops.release(f);
        } catch (RuntimeException e) {
            printk.err("BUG: release of %s threw %s", f.path, e);
        } finally {
            refs.modulePut(f.module);
        }
        return 0;
    }

    private FileImpl take(int fd) {
        synchronized (fds) {
            return fds.remove(fd);
        }
    }

    /** Whether the operations have a release of their own (file_operations.release set). */
    private static boolean hasRelease(FileOperations fops) {
        try {
            return fops.getClass().getMethod("release", OpenFile.class).getDeclaringClass() != FileOperations.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** Open files per owner instance, those of freed instances left out: the references they hold. */
    public Map<Owner, Integer> openFilesByOwner() {
        synchronized (fds) {
            Map<Owner, Integer> out = new java.util.HashMap<>();
            fds.values().stream().filter(f -> !f.module.freed()).forEach(f -> out.merge(f.module, 1, Integer::sum));
            return out;
        }
    }

    /** Misc devices and their owner modules. */
    public Map<String, String> deviceOwners() {
        Map<String, String> out = new TreeMap<>();
        misc.values().forEach(m -> out.put(m.name, m.owner));
        return out;
    }

    /**
     * Closes every open file, newest first (the model's reset); files of freed modules
     * are dropped without their oops.
     */
    public void closeAll() {
        List<Integer> open;
        synchronized (fds) {
            open = new java.util.ArrayList<>(fds.keySet());
        }
        java.util.Collections.reverse(open);
        for (int fd : open) {
            FileImpl f;
            synchronized (fds) {
                f = fds.get(fd);
            }
            if (f != null && f.module.freed()) {
                take(fd);
            } else {
                close(fd);
            }
        }
    }

    /**
     * Drops devices left registered by modules that are gone; those of the modules
     * {@code builtIn} names stay, as they are there from boot on (a built-in kvm's /dev/kvm).
     */
    public void dropAll(java.util.function.Predicate<String> builtIn) {
        misc.values().removeIf(m -> !builtIn.test(m.registeredBy));
    }

    private final class FileImpl implements OpenFile {
        final String path;
        /** fops->owner: the instance pinned while the file is open. */
        final Owner module;
        final FileOperations fops;
        volatile Object data;

        FileImpl(String path, Owner module, FileOperations fops) {
            this.path = path;
            this.module = module;
            this.fops = fops;
        }

        @Override
        public String path() {
            return path;
        }

        @Override
        public Object privateData() {
            return data;
        }

        @Override
        public void setPrivateData(Object data) {
            this.data = data;
        }

        @Override
        public int anonInodeGetFd(String name, String owner, FileOperations fops, Object privateData) {
            return install("anon_inode:" + name, owner.replace('-', '_'), fops, privateData, false);
        }
    }
}
