package org.kvmosgi.kernel.api;

/**
 * The errno values the model uses, with Linux's numbers (asm-generic/errno-base.h,
 * errno.h) and glibc's strerror texts, which kmod prints.
 */
public enum Errno {
    EPERM(1, "Operation not permitted"),
    ENOENT(2, "No such file or directory"),
    ESRCH(3, "No such process"),
    EINTR(4, "Interrupted system call"),
    EIO(5, "Input/output error"),
    ENXIO(6, "No such device or address"),
    E2BIG(7, "Argument list too long"),
    ENOEXEC(8, "Exec format error"),
    EBADF(9, "Bad file descriptor"),
    EAGAIN(11, "Resource temporarily unavailable"),
    ENOMEM(12, "Cannot allocate memory"),
    EACCES(13, "Permission denied"),
    EFAULT(14, "Bad address"),
    EBUSY(16, "Device or resource busy"),
    EEXIST(17, "File exists"),
    ENODEV(19, "No such device"),
    ENOTDIR(20, "Not a directory"),
    EISDIR(21, "Is a directory"),
    EINVAL(22, "Invalid argument"),
    ENFILE(23, "Too many open files in system"),
    EMFILE(24, "Too many open files"),
    ENOTTY(25, "Inappropriate ioctl for device"),
    ENOSPC(28, "No space left on device"),
    EROFS(30, "Read-only file system"),
    ERANGE(34, "Numerical result out of range"),
    ENOSYS(38, "Function not implemented"),
    ENODATA(61, "No data available"),
    ETIME(62, "Timer expired"),
    ENOPKG(65, "Package not installed"),
    EBADMSG(74, "Bad message"),
    EOPNOTSUPP(95, "Operation not supported"),
    ETIMEDOUT(110, "Connection timed out"),
    ENOKEY(126, "Required key not available"),
    EKEYREJECTED(129, "Key was rejected by service");

    /** EWOULDBLOCK is EAGAIN on Linux. */
    public static final Errno EWOULDBLOCK = EAGAIN;

    private final int value;
    private final String message;

    Errno(int value, String message) {
        this.value = value;
        this.message = message;
    }

    /** The positive errno number. */
    public int value() {
        return value;
    }

    /** The negative return value a kernel function gives for this error. */
    public int neg() {
        return -value;
    }

    /** strerror(3). */
    public String strerror() {
        return message;
    }

    /** The constant for an errno number, positive or negative; null if unknown. */
    public static Errno of(int errno) {
        int v = Math.abs(errno);
        return v >= 0 && v < BY_VALUE.length ? BY_VALUE[v] : null;
    }

    /** The constants by number: every ErrnoException looks its text up here. */
    private static final Errno[] BY_VALUE = byValue();

    private static Errno[] byValue() {
        int max = 0;
        for (Errno e : values()) {
            max = Math.max(max, e.value);
        }
        Errno[] t = new Errno[max + 1];
        for (Errno e : values()) {
            if (t[e.value] == null) {
                t[e.value] = e;
            }
        }
        return t;
    }

    /** strerror for a number, including ones this enum does not name. */
    public static String strerror(int errno) {
        Errno e = of(errno);
        return e != null ? e.message : "Unknown error " + Math.abs(errno);
    }
}
