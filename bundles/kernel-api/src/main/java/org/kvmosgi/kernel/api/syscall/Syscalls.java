package org.kvmosgi.kernel.api.syscall;

import java.nio.file.Path;
import java.util.List;
import org.kvmosgi.kernel.api.ErrnoException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The system calls user space (the kmod tools, the VMM) makes. They are the only way
 * from user space into the kernel, as in Linux. Failures throw {@link ErrnoException}
 * carrying errno.
 *
 * <p>Paths are the model's: {@code /proc} and {@code /sys} are the kernel's views;
 * everything else lies under the platform's root directory ({@link #hostPath}).
 */
@ProviderType
public interface Syscalls {
    /** finit_module flag: ignore symbol versions. */
    int MODULE_INIT_IGNORE_MODVERSIONS = 1;
    /** finit_module flag: ignore vermagic. */
    int MODULE_INIT_IGNORE_VERMAGIC = 2;
    /** delete_module flag O_NONBLOCK (kmod always passes it). */
    int O_NONBLOCK = 04000;
    /** delete_module flag O_TRUNC: force (CONFIG_MODULE_FORCE_UNLOAD). */
    int O_TRUNC = 01000;

    /** finit_module(fd of {@code path}, params, flags). */
    void finitModule(String path, String params, int flags) throws ErrnoException;

    /** delete_module(name, flags). */
    void deleteModule(String name, int flags) throws ErrnoException;

    /** The whole content of a file (procfs, sysfs or a regular file). */
    String read(String path) throws ErrnoException;

    /** Writes a file: a sysfs attribute (a module parameter) or a regular file. */
    void write(String path, String content) throws ErrnoException;

    /** The names in a directory, sorted. */
    List<String> list(String path) throws ErrnoException;

    /**
     * stat(2). A kernel that predates the call (a test's fake) fails it with ENOSYS, as
     * Linux does for a call it does not have; callers then read the file every time.
     */
    default Stat stat(String path) throws ErrnoException {
        throw new ErrnoException(org.kvmosgi.kernel.api.Errno.ENOSYS);
    }

    /**
     * The whole content of a file as bytes (a module file, for depmod and modinfo). A
     * kernel that predates the call fails it with ENOSYS.
     */
    default byte[] readBytes(String path) throws ErrnoException {
        throw new ErrnoException(org.kvmosgi.kernel.api.Errno.ENOSYS);
    }

    /**
     * mkdir(2) of one directory: EEXIST when the path exists, ENOENT when its parent does
     * not, EACCES below /proc, /sys and /dev. A kernel that predates the call fails it with
     * ENOSYS.
     */
    default void mkdir(String path) throws ErrnoException {
        throw new ErrnoException(org.kvmosgi.kernel.api.Errno.ENOSYS);
    }

    /** The host file behind a regular file of the model. */
    Path hostPath(String path);

    /** uname -r. */
    String kernelRelease();

    /** open(2); returns the fd. */
    int open(String path) throws ErrnoException;

    /** ioctl(2); returns the call's non-negative result. */
    long ioctl(int fd, int cmd, Object arg) throws ErrnoException;

    /** close(2). */
    void close(int fd) throws ErrnoException;

    /** syslog(SYSLOG_ACTION_READ_ALL), optionally clearing (dmesg -c): the formatted lines. */
    List<String> syslog(boolean clear);
}
