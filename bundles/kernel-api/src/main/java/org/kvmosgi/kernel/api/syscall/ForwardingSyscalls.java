package org.kvmosgi.kernel.api.syscall;

import java.nio.file.Path;
import java.util.List;
import org.kvmosgi.kernel.api.ErrnoException;

/**
 * System calls that all go to another table ({@code kernel}, usually the kernel's own) unless
 * a subclass says otherwise: what is put between a tool and the kernel (a recorder of calls,
 * a test harness's traps, the explorer's replay log) overrides only the calls it changes.
 */
public abstract class ForwardingSyscalls implements Syscalls {
    /** Where every call not overridden goes. */
    protected final Syscalls kernel;

    protected ForwardingSyscalls(Syscalls kernel) {
        this.kernel = kernel;
    }

    @Override
    public void finitModule(String path, String params, int flags) throws ErrnoException {
        kernel.finitModule(path, params, flags);
    }

    @Override
    public void deleteModule(String name, int flags) throws ErrnoException {
        kernel.deleteModule(name, flags);
    }

    @Override
    public String read(String path) throws ErrnoException {
        return kernel.read(path);
    }

    @Override
    public void write(String path, String content) throws ErrnoException {
        kernel.write(path, content);
    }

    @Override
    public List<String> list(String path) throws ErrnoException {
        return kernel.list(path);
    }

    @Override
    public Stat stat(String path) throws ErrnoException {
        return kernel.stat(path);
    }

    @Override
    public byte[] readBytes(String path) throws ErrnoException {
        return kernel.readBytes(path);
    }

    @Override
    public void mkdir(String path) throws ErrnoException {
        kernel.mkdir(path);
    }

    @Override
    public Path hostPath(String path) {
        return kernel.hostPath(path);
    }

    @Override
    public String kernelRelease() {
        return kernel.kernelRelease();
    }

    @Override
    public int open(String path) throws ErrnoException {
        return kernel.open(path);
    }

    @Override
    public long ioctl(int fd, int cmd, Object arg) throws ErrnoException {
        return kernel.ioctl(fd, cmd, arg);
    }

    @Override
    public void close(int fd) throws ErrnoException {
        kernel.close(fd);
    }

    @Override
    public List<String> syslog(boolean clear) {
        return kernel.syslog(clear);
    }
}
