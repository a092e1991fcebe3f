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
 * operations, as fops->owner does.
 */
public final class Devices {
    /** fd 0-2 are stdin, stdout and stderr. */
    private static final int FIRST_FD = 3;

    /** try_module_get and module_put, as the module loader counts them. */
    public interface ModuleRefs {
        boolean tryModuleGet(String module);

        void modulePut(String module);
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
        return misc.values().stream().filter(m -> m.registeredBy.equals(module)).map(Misc::name).sorted().toList();
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
        if (!refs.tryModuleGet(owner)) {
            return Errno.ENODEV.neg();
        }
        FileImpl f = new FileImpl(path, owner, fops);
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
                refs.modulePut(owner);
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
        try {
            return f.fops.ioctl(f, cmd, arg);
        } catch (RuntimeException e) {
            // an oops in a driver: the call fails, the kernel goes on
            printk.err("BUG: ioctl 0x%x on %s threw %s", cmd, f.path, e);
            return Errno.EFAULT.neg();
        }
    }

    /** close(2): 0 or -EBADF. */
    public int close(int fd) {
        FileImpl f;
        synchronized (fds) {
            f = fds.remove(fd);
        }
        if (f == null) {
            return Errno.EBADF.neg();
        }
        try {
            f.fops.release(f);
        } catch (RuntimeException e) {
            printk.err("BUG: release of %s threw %s", f.path, e);
        } finally {
            refs.modulePut(f.owner);
        }
        return 0;
    }

    /** Open files per owner module: the references they hold. */
    public Map<String, Integer> openFilesByOwner() {
        synchronized (fds) {
            Map<String, Integer> out = new TreeMap<>();
            fds.values().forEach(f -> out.merge(f.owner, 1, Integer::sum));
            return out;
        }
    }

    /** Misc devices and their owner modules. */
    public Map<String, String> deviceOwners() {
        Map<String, String> out = new TreeMap<>();
        misc.values().forEach(m -> out.put(m.name, m.owner));
        return out;
    }

    /** Closes every open file, newest first (the process exits). */
    public void closeAll() {
        List<Integer> open;
        synchronized (fds) {
            open = new java.util.ArrayList<>(fds.keySet());
        }
        java.util.Collections.reverse(open);
        open.forEach(this::close);
    }

    /** Drops devices left registered by modules that are gone. */
    public void dropAll() {
        misc.clear();
    }

    private final class FileImpl implements OpenFile {
        final String path;
        final String owner;
        final FileOperations fops;
        volatile Object data;

        FileImpl(String path, String owner, FileOperations fops) {
            this.path = path;
            this.owner = owner;
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
