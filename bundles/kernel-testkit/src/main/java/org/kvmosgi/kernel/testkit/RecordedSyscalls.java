package org.kvmosgi.kernel.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.syscall.Stat;
import org.kvmosgi.kernel.api.syscall.Syscalls;

/**
 * A kernel's system calls with the ones that load and unload modules written down, as
 * strace shows what a tool asked the kernel for: {@code finit_module PATH 'PARAMS'} and
 * {@code delete_module NAME FLAGS} (octal), in the order they were made, whatever the kernel
 * answered. Every call goes to the kernel's own table unchanged; a test asserts what a tool
 * did and did not ask for.
 */
public final class RecordedSyscalls implements Syscalls {
    private final Syscalls kernel;
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());

    public RecordedSyscalls(Syscalls kernel) {
        this.kernel = kernel;
    }

    /** The module calls made since the last {@link #clear}, oldest first. */
    public List<String> calls() {
        return List.copyOf(calls);
    }

    public void clear() {
        calls.clear();
    }

    @Override
    public void finitModule(String path, String params, int flags) throws ErrnoException {
        calls.add("finit_module " + path + " '" + params + "'");
        kernel.finitModule(path, params, flags);
    }

    @Override
    public void deleteModule(String name, int flags) throws ErrnoException {
        calls.add("delete_module " + name + " " + Integer.toOctalString(flags));
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
