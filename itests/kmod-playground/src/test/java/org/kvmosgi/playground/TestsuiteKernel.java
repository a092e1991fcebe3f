package org.kvmosgi.playground;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.modinfo.ModuleInfo;
import org.kvmosgi.kernel.api.syscall.ForwardingSyscalls;
import org.kvmosgi.kernel.api.syscall.Stat;
import org.kvmosgi.kernel.testkit.Hosts;
import org.kvmosgi.kernel.testkit.TestKernel;

/**
 * The kernel as kmod's testsuite hands it to the tools: the test kit's kernel (the
 * scenario's root file system, its release, its files read and written by the kernel's own
 * system calls) under the traps the testsuite preloads into every test. path.so sends
 * {@code /proc} and {@code /sys} into the root file system, where rootfs-pristine keeps them
 * as plain files; init_module.so and delete_module.so answer finit_module and delete_module
 * without a kernel: a load reads the module's name from its .modinfo and makes
 * {@code /sys/module/NAME} (initstate "live", refcnt 0, no holders), without linking it (the
 * scenarios' modules.dep files are hand-written, and some load a module whose dependencies
 * are not there); a removal takes that directory away. Everything else is the kernel's.
 */
final class TestsuiteKernel extends ForwardingSyscalls {
    /** Where path.so puts /proc and /sys in the root file system. */
    private static final String TRAPPED = "/.testsuite";

    TestsuiteKernel(String release) {
        super(TestKernel.builder(Hosts.profile("intel")).release(release).build().syscalls());
        file("/proc/cmdline", "\n");
        try {
            Files.createDirectories(hostPath("/lib/modules/" + release));
            Files.createDirectories(hostPath("/etc/modprobe.d"));
            Files.createDirectories(hostPath("/sys/module"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The modules init_module.so made a /sys/module directory for, by name. */
    List<String> loaded() {
        try {
            return list("/sys/module");
        } catch (ErrnoException e) {
            return List.of();
        }
    }

    /** A file of rootfs-pristine (its directories made), /proc and /sys included. */
    void file(String path, String content) {
        try {
            Path f = hostPath(path);
            Files.createDirectories(f.getParent());
            Files.writeString(f, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** path.so: /proc and /sys are files of the root file system. */
    private static String trap(String path) {
        String p = path.startsWith("/") ? path : "/" + path;
        boolean virtual = p.equals("/proc") || p.startsWith("/proc/") || p.equals("/sys") || p.startsWith("/sys/");
        return virtual ? TRAPPED + p : p;
    }

    // ------------------------------------------------------------ init_module.so, delete_module.so

    @Override
    public void finitModule(String path, String params, int flags) throws ErrnoException {
        ModuleInfo info;
        try {
            info = ModuleInfo.read(kernel.readBytes(path));
        } catch (ModuleInfo.NotAModule e) {
            throw new ErrnoException(Errno.ENOEXEC);
        }
        Path dir = hostPath("/sys/module/" + info.name());
        if (Files.isDirectory(dir)) {
            throw new ErrnoException(Errno.EEXIST);
        }
        file("/sys/module/" + info.name() + "/initstate", "live\n");
        file("/sys/module/" + info.name() + "/refcnt", "0\n");
        try {
            Files.createDirectories(dir.resolve("holders"));
        } catch (IOException e) {
            throw new ErrnoException(Errno.EIO);
        }
    }

    @Override
    public void deleteModule(String name, int flags) throws ErrnoException {
        Path dir = hostPath("/sys/module/" + name);
        if (name.isEmpty() || !Files.isDirectory(dir)) {
            throw new ErrnoException(Errno.ENOENT);
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new ErrnoException(Errno.EIO);
        }
    }

    // ------------------------------------------------------------ the kernel's, through path.so

    @Override
    public String read(String path) throws ErrnoException {
        return kernel.read(trap(path));
    }

    @Override
    public void write(String path, String content) throws ErrnoException {
        kernel.write(trap(path), content);
    }

    @Override
    public List<String> list(String path) throws ErrnoException {
        return kernel.list(trap(path));
    }

    @Override
    public Stat stat(String path) throws ErrnoException {
        return kernel.stat(trap(path));
    }

    @Override
    public byte[] readBytes(String path) throws ErrnoException {
        return kernel.readBytes(trap(path));
    }

    @Override
    public void mkdir(String path) throws ErrnoException {
        kernel.mkdir(trap(path));
    }

    @Override
    public Path hostPath(String path) {
        return kernel.hostPath(trap(path));
    }

    @Override
    public int open(String path) throws ErrnoException {
        return kernel.open(trap(path));
    }
}
