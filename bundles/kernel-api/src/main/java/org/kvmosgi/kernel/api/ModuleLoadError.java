package org.kvmosgi.kernel.api;

/** Why a load failed: the errno load_module or the module's init returned. */
public class ModuleLoadError extends Exception {
    private static final long serialVersionUID = 1L;
    private final int errno;

    public ModuleLoadError(String module, int errno) {
        super(module + ": " + Errno.strerror(errno) + " (" + -Math.abs(errno) + ")", null, false, false);
        this.errno = Math.abs(errno);
    }

    /** The positive errno number. */
    public int errno() {
        return errno;
    }
}
