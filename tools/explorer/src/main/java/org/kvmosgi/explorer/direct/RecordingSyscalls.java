package org.kvmosgi.explorer.direct;

import java.util.ArrayList;
import java.util.List;
import org.kvmosgi.explorer.Platform.Call;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.syscall.ForwardingSyscalls;
import org.kvmosgi.kernel.api.syscall.Syscalls;

/**
 * The system calls a tool makes, passed to the kernel, with those that change it written
 * down with their results: finit_module, delete_module, write, open, ioctl, close, mkdir.
 * What the tool read (its configuration, modules.dep, /proc and /sys) changes nothing in
 * the kernel, so the kernel-changing calls alone, made again in order from the same state,
 * bring the kernel to the same state: that is a prefix's replay without the tools'
 * own work ({@link #replay}). A call whose result differs from the one written down
 * stops the replay.
 */
final class RecordingSyscalls extends ForwardingSyscalls {
    private List<Call> calls = new ArrayList<>();

    RecordingSyscalls(Syscalls sys) {
        super(sys);
    }

    /** The calls written down since the last {@link #take}, and a fresh list for the next. */
    List<Call> take() {
        List<Call> out = List.copyOf(calls);
        calls = new ArrayList<>();
        return out;
    }

    /** Makes {@code recorded} again on the kernel; false when one's result differs (the kernel is then elsewhere). */
    static boolean replay(Syscalls sys, List<Call> recorded) {
        for (Call c : recorded) {
            long result;
            try {
                result = switch (c.name()) {
                    case "finit_module" -> {
                        sys.finitModule(c.path(), c.text(), (int) c.number());
                        yield 0;
                    }
                    case "delete_module" -> {
                        sys.deleteModule(c.path(), (int) c.number());
                        yield 0;
                    }
                    case "write" -> {
                        sys.write(c.path(), c.text());
                        yield 0;
                    }
                    case "mkdir" -> {
                        sys.mkdir(c.path());
                        yield 0;
                    }
                    case "open" -> sys.open(c.path());
                    case "ioctl" -> sys.ioctl((int) c.number(), Integer.parseInt(c.text()), c.arg());
                    case "close" -> {
                        sys.close((int) c.number());
                        yield 0;
                    }
                    default -> throw new IllegalStateException("not a recorded call: " + c.name());
                };
            } catch (ErrnoException e) {
                result = -e.errno();
            }
            if (result != c.result()) {
                return false;
            }
        }
        return true;
    }

    private void add(String name, String path, String text, long number, Object arg, long result) {
        calls.add(new Call(name, path, text, number, arg, result));
    }

    @Override
    public void finitModule(String path, String params, int flags) throws ErrnoException {
        try {
            kernel.finitModule(path, params, flags);
            add("finit_module", path, params, flags, null, 0);
        } catch (ErrnoException e) {
            add("finit_module", path, params, flags, null, -e.errno());
            throw e;
        }
    }

    @Override
    public void deleteModule(String name, int flags) throws ErrnoException {
        try {
            kernel.deleteModule(name, flags);
            add("delete_module", name, null, flags, null, 0);
        } catch (ErrnoException e) {
            add("delete_module", name, null, flags, null, -e.errno());
            throw e;
        }
    }

    @Override
    public void write(String path, String content) throws ErrnoException {
        try {
            kernel.write(path, content);
            add("write", path, content, 0, null, 0);
        } catch (ErrnoException e) {
            add("write", path, content, 0, null, -e.errno());
            throw e;
        }
    }

    @Override
    public void mkdir(String path) throws ErrnoException {
        try {
            kernel.mkdir(path);
            add("mkdir", path, null, 0, null, 0);
        } catch (ErrnoException e) {
            add("mkdir", path, null, 0, null, -e.errno());
            throw e;
        }
    }

    @Override
    public int open(String path) throws ErrnoException {
        try {
            int fd = kernel.open(path);
            add("open", path, null, 0, null, fd);
            return fd;
        } catch (ErrnoException e) {
            add("open", path, null, 0, null, -e.errno());
            throw e;
        }
    }

    @Override
    public long ioctl(int fd, int cmd, Object arg) throws ErrnoException {
        // the argument is given again as it was: a value (KVM_CREATE_VM's type); the VMM's ioctls, whose arguments the kernel fills, are not replayed so
        try {
            long r = kernel.ioctl(fd, cmd, arg);
            add("ioctl", null, Integer.toString(cmd), fd, arg, r);
            return r;
        } catch (ErrnoException e) {
            add("ioctl", null, Integer.toString(cmd), fd, arg, -e.errno());
            throw e;
        }
    }

    @Override
    public void close(int fd) throws ErrnoException {
        try {
            kernel.close(fd);
            add("close", null, null, fd, null, 0);
        } catch (ErrnoException e) {
            add("close", null, null, fd, null, -e.errno());
            throw e;
        }
    }
}
