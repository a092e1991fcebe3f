package org.kvmosgi.kernel.fs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.syscall.Stat;
import org.kvmosgi.kernel.api.Printk;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kernel.dev.Devices;
import org.kvmosgi.kernel.kmod.RequestModule;
import org.kvmosgi.kernel.module.FileVersion;
import org.kvmosgi.kernel.module.KModule;
import org.kvmosgi.kernel.module.Loader;
import org.kvmosgi.kernel.module.ModuleImage;
import org.kvmosgi.kernel.printk.LogBuffer;

/**
 * The system calls: the one door from user space into the kernel. finit_module finds the
 * file and coalesces concurrent loads of it; {@link ModuleFiles} turns it into a load (a
 * bundle start on the framework, a direct call of the loader without one).
 */
public final class SyscallTable implements Syscalls {
    /** The model's root directory on the host. */
    private final Path root;
    private final String release;
    private final Printk printk;
    /** The log's ring buffer, for syslog(2). */
    private final LogBuffer log;
    private final Loader loader;
    private final Devices devices;
    private final RequestModule requestModule;
    private final ProcFs proc;
    private final SysFs sys;
    private final DebugFs debug;
    /** finit_module calls under way, by file: concurrent loads of one file share one result (6.4+). */
    private final Map<Path, CompletableFuture<Integer>> idempotent = new ConcurrentHashMap<>();
    /** What turns a module file into a load. */
    private final ModuleFiles files;
    /** stat(2) of the root's files: which paths were missing last time. */
    private final HostStat hostStat = new HostStat();

    public SyscallTable(Path root, String release, Printk printk, LogBuffer log, Loader loader, Devices devices,
            RequestModule requestModule, ProcFs proc, SysFs sys, DebugFs debug, ModuleFiles files) {
        this.root = root;
        this.release = release;
        this.printk = printk;
        this.log = log;
        this.loader = loader;
        this.devices = devices;
        this.requestModule = requestModule;
        this.proc = proc;
        this.sys = sys;
        this.debug = debug;
        this.files = files;
    }

    // ---------------------------------------------------------------- modules

    @Override
    public void finitModule(String path, String params, int flags) throws ErrnoException {
        Path file = hostPath(path);
        // the one stat of a load: the loader's containers and the signature check use its answer
        FileVersion version = file == null ? null : FileVersion.ofRegularFile(file);
        if (version == null) {
            throw new ErrnoException(Errno.ENOENT);
        }
        CompletableFuture<Integer> mine = new CompletableFuture<>();
        CompletableFuture<Integer> first = idempotent.putIfAbsent(file, mine);
        int ret;
        if (first != null) {
            ret = waitsForItself(file) ? Errno.EBUSY.neg() : first.join();
        } else {
            try {
                ret = files.load(file, version, params == null ? "" : params, flags);
                mine.complete(ret);
            } catch (RuntimeException e) {
                mine.complete(Errno.EFAULT.neg());
                throw e;
            } finally {
                idempotent.remove(file, mine);
            }
        }
        ErrnoException.check(ret);
    }

    /**
     * Whether the load of {@code file} under way is a module whose init waits on a
     * request_module that led here: joining it would wait forever (see
     * {@link RequestModule#waitsForItself}).
     */
    private boolean waitsForItself(Path file) {
        KModule loading = files.module(file);
        return loading != null && requestModule.waitsForItself(loading.name());
    }

    @Override
    public void deleteModule(String name, int flags) throws ErrnoException {
        if (name == null || name.isEmpty()) {
            throw new ErrnoException(Errno.ENOENT);
        }
        ErrnoException.check(loader.prepareDelete(name, flags));
        KModule mod = loader.find(name);
        try {
            mod.image().stop();
        } catch (ModuleImage.StopFailed e) {
            printk.err("%s: exit failed: %s", mod.name(), e.getMessage());
        }
        // the file stays read (a bundle stays installed): the next load of it starts it again
    }

    // ---------------------------------------------------------------- files

    @Override
    public String read(String path) throws ErrnoException {
        String p = normalize(path);
        if (p.startsWith("/proc")) {
            String s = proc.read(p);
            if (s == null) {
                throw new ErrnoException(ProcFs.list(p) != null ? Errno.EISDIR : Errno.ENOENT);
            }
            return s;
        }
        if (DebugFs.owns(p)) {
            String s = debug.read(p);
            if (s == null) {
                throw new ErrnoException(debug.list(p) != null ? Errno.EISDIR : Errno.ENOENT);
            }
            return s;
        }
        if (p.startsWith("/sys")) {
            String s = sys.read(p);
            if (s == null) {
                throw new ErrnoException(sys.isDirectory(p) ? Errno.EISDIR : Errno.ENOENT);
            }
            return s;
        }
        if (p.startsWith("/dev")) {
            throw new ErrnoException(p.equals("/dev") ? Errno.EISDIR : Errno.EINVAL);
        }
        Path f = hostPath(p);
        try {
            if (Files.isDirectory(f)) {
                throw new ErrnoException(Errno.EISDIR);
            }
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ErrnoException(Errno.ENOENT);
        } catch (IOException e) {
            throw new ErrnoException(Errno.EIO);
        }
    }

    @Override
    public void write(String path, String content) throws ErrnoException {
        String p = normalize(path);
        if (DebugFs.owns(p)) {
            ErrnoException.check(debug.write(p, content));
            return;
        }
        if (p.startsWith("/sys")) {
            ErrnoException.check(sys.write(p, content));
            return;
        }
        if (p.startsWith("/proc") || p.startsWith("/dev")) {
            throw new ErrnoException(proc.read(p) != null ? Errno.EACCES : Errno.ENOENT);
        }
        Path f = hostPath(p);
        if (!Files.isDirectory(f.getParent())) {
            throw new ErrnoException(Errno.ENOENT);
        }
        try {
            Files.writeString(f, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ErrnoException(Files.isDirectory(f) ? Errno.EISDIR : Errno.EIO);
        }
    }

    @Override
    public void mkdir(String path) throws ErrnoException {
        String p = normalize(path);
        if (p.equals("/") || isVirtual(p)) {
            throw new ErrnoException(p.equals("/") || p.equals("/proc") || p.equals("/sys") || p.equals("/dev")
                    ? Errno.EEXIST : Errno.EACCES);
        }
        Path f = hostPath(p);
        if (Files.exists(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new ErrnoException(Errno.EEXIST);
        }
        if (!Files.isDirectory(f.getParent())) {
            throw new ErrnoException(Errno.ENOENT);
        }
        try {
            Files.createDirectory(f);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new ErrnoException(Errno.EEXIST);
        } catch (IOException e) {
            throw new ErrnoException(Errno.EIO);
        }
    }

    /** Below /proc, /sys or /dev: the kernel's own files. */
    private static boolean isVirtual(String p) {
        return p.equals("/proc") || p.startsWith("/proc/") || p.equals("/sys") || p.startsWith("/sys/")
                || p.equals("/dev") || p.startsWith("/dev/");
    }

    @Override
    public List<String> list(String path) throws ErrnoException {
        String p = normalize(path);
        if (p.equals("/")) {
            List<String> out = new ArrayList<>(hostList(hostPath("/")));
            for (String virtual : List.of("dev", "proc", "sys")) {
                if (!out.contains(virtual)) {
                    out.add(virtual);
                }
            }
            out.sort(null);
            return out;
        }
        if (p.startsWith("/proc")) {
            List<String> l = ProcFs.list(p);
            if (l == null) {
                throw new ErrnoException(proc.read(p) != null ? Errno.ENOTDIR : Errno.ENOENT);
            }
            return l;
        }
        if (DebugFs.owns(p)) {
            List<String> l = debug.list(p);
            if (l == null) {
                throw new ErrnoException(debug.read(p) != null ? Errno.ENOTDIR : Errno.ENOENT);
            }
            return l;
        }
        if (p.startsWith("/sys")) {
            List<String> l = sys.list(p);
            if (l == null) {
                throw new ErrnoException(sys.read(p) != null ? Errno.ENOTDIR : Errno.ENOENT);
            }
            return l;
        }
        if (p.equals("/dev")) {
            return devices.deviceNames();
        }
        Path d = hostPath(p);
        if (!Files.exists(d)) {
            throw new ErrnoException(Errno.ENOENT);
        }
        if (!Files.isDirectory(d)) {
            throw new ErrnoException(Errno.ENOTDIR);
        }
        return hostList(d);
    }

    private static List<String> hostList(Path d) throws ErrnoException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(x -> x.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new ErrnoException(Errno.EIO);
        }
    }

    @Override
    public byte[] readBytes(String path) throws ErrnoException {
        String p = normalize(path);
        if (p.startsWith("/proc") || p.startsWith("/sys") || p.startsWith("/dev") || p.equals("/")) {
            return read(p).getBytes(StandardCharsets.UTF_8);
        }
        Path f = hostPath(p);
        try {
            if (Files.isDirectory(f)) {
                throw new ErrnoException(Errno.EISDIR);
            }
            return Files.readAllBytes(f);
        } catch (NoSuchFileException e) {
            throw new ErrnoException(Errno.ENOENT);
        } catch (IOException e) {
            throw new ErrnoException(Errno.EIO);
        }
    }

    @Override
    public Stat stat(String path) throws ErrnoException {
        String p = normalize(path);
        if (p.startsWith("/proc") || p.startsWith("/sys") || p.startsWith("/dev") || p.equals("/")) {
            // the kernel's own files: no modification time, the size of what a read returns now
            try {
                return new Stat(false, read(p).length(), 0, 0);
            } catch (ErrnoException e) {
                if (e.errno() != Errno.EISDIR.value() && e.errno() != Errno.EINVAL.value()) {
                    throw e;
                }
                list(p);
                return new Stat(true, 0, 0, 0);
            }
        }
        return hostStat.stat(p, hostPath(p));
    }

    @Override
    public Path hostPath(String path) {
        String p = normalize(path);
        // normalized: absolute, without "." or "..", so below the root
        return p.length() == 1 ? root : root.resolve(p.substring(1));
    }

    /** Absolute, with "." and ".." folded and no trailing slash. */
    static String normalize(String path) {
        if (path == null || path.isEmpty()) {
            return "/";
        }
        if (isNormal(path)) {
            return path;
        }
        String p = Path.of("/").resolve(path).normalize().toString();
        return p.isEmpty() ? "/" : p;
    }

    /** Already absolute, with no empty, "." or ".." component and no trailing slash: most paths tools pass. */
    private static boolean isNormal(String path) {
        int n = path.length();
        if (path.charAt(0) != '/' || (n > 1 && path.charAt(n - 1) == '/')) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (path.charAt(i) == '/' && i + 1 < n) {
                char c = path.charAt(i + 1);
                if (c == '/' || (c == '.' && (i + 2 == n || path.charAt(i + 2) == '/'
                        || (path.charAt(i + 2) == '.' && (i + 3 == n || path.charAt(i + 3) == '/'))))) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public String kernelRelease() {
        return release;
    }

    // ---------------------------------------------------------------- devices

    @Override
    public int open(String path) throws ErrnoException {
        String p = normalize(path);
        if (!p.startsWith("/dev/")) {
            throw new ErrnoException(Errno.ENXIO);
        }
        return ErrnoException.check(devices.open(p.substring("/dev/".length())));
    }

    @Override
    public long ioctl(int fd, int cmd, Object arg) throws ErrnoException {
        long r = devices.ioctl(fd, cmd, arg);
        if (r < 0) {
            throw new ErrnoException((int) -r);
        }
        return r;
    }

    @Override
    public void close(int fd) throws ErrnoException {
        ErrnoException.check(devices.close(fd));
    }

    // ---------------------------------------------------------------- log

    @Override
    public List<String> syslog(boolean clear) {
        return log.lines(clear);
    }
}
