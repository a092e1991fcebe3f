package org.kvmosgi.kernel.api;

/**
 * A system call's failure as user space sees it: the call returned -1 and set errno.
 * Kernel code itself returns negative errno values; only the syscall boundary throws.
 */
public class ErrnoException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int errno;

    public ErrnoException(int errno) {
        super(Errno.strerror(errno), null, false, false);
        this.errno = Math.abs(errno);
    }

    public ErrnoException(Errno errno) {
        this(errno.value());
    }

    /** The positive errno number. */
    public int errno() {
        return errno;
    }

    public String strerror() {
        return Errno.strerror(errno);
    }

    /** Returns {@code ret} when it is not negative, throws for -errno. */
    public static int check(int ret) throws ErrnoException {
        if (ret < 0) {
            throw new ErrnoException(-ret);
        }
        return ret;
    }
}
