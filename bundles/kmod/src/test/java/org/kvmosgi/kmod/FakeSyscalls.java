package org.kvmosgi.kmod;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.modinfo.ModuleInfo;
import org.kvmosgi.kernel.api.syscall.Stat;
import org.kvmosgi.kernel.api.syscall.Syscalls;

/**
 * A small kernel for the tools' tests: regular files live in a temporary root on disk,
 * /proc/modules and /sys/module come from an in-memory module list, finit_module links a
 * module file's imports against the loaded modules' exports as the kernel does (holders,
 * refcounts) and records every call.
 */
public final class FakeSyscalls implements Syscalls {
    public static final String RELEASE = "6.13.0-test";

    /** A loaded module. */
    public static final class Loaded {
        public final String name;
        public final ModuleInfo info;
        public long size = 16384;
        public int extraRefs;
        public String state = "live";
        public final List<String> holders = new ArrayList<>();
        public final List<String> uses = new ArrayList<>();
        public String params;

        public Loaded(String name, ModuleInfo info) {
            this.name = name;
            this.info = info;
        }
    }

    public final Path root;
    public final Map<String, Loaded> loaded = new LinkedHashMap<>();
    public final List<String> calls = new ArrayList<>();
    public final Map<String, Integer> failInit = new LinkedHashMap<>();
    public final List<String> log = new ArrayList<>();
    public String cmdline = "BOOT_IMAGE=/vmlinuz root=/dev/vda1";
    /**
     * Whether finit_module links the module's imports against the loaded modules; kmod's
     * testsuite fakes init_module without linking (its modules.dep files are hand-written).
     */
    public boolean resolveImports = true;
    /** uname -r (kmod's testsuite sets it per test: TC_UNAME_R). */
    public String release = RELEASE;

    public FakeSyscalls() throws IOException {
        root = Files.createTempDirectory("kmod-test");
        Files.createDirectories(root.resolve("lib/modules/" + RELEASE));
        Files.createDirectories(root.resolve("etc/modprobe.d"));
    }

    /** Writes a module file (a jar whose manifest carries the .modinfo) below /lib/modules/RELEASE. */
    public String module(String relpath, String provideCapability) throws IOException {
        Path f = root.resolve("lib/modules/" + RELEASE + "/" + relpath);
        Files.createDirectories(f.getParent());
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().put(new Attributes.Name("Bundle-SymbolicName"), "m");
        mf.getMainAttributes().put(new Attributes.Name("Provide-Capability"), provideCapability);
        try (OutputStream o = Files.newOutputStream(f); JarOutputStream j = new JarOutputStream(o, mf)) {
            // the manifest is the whole module
        }
        return "/lib/modules/" + RELEASE + "/" + relpath;
    }

    /** A .modinfo header as bnd writes it from the annotations. */
    public static String modinfo(String name, List<String> exports, List<String> imports, List<String> aliases,
            String softdep) {
        StringBuilder b = new StringBuilder("kernel.module;class=\"x." + name + "\";kernel.module=" + name
                + ";license=GPL;description=\"the " + name + " module\"");
        if (!aliases.isEmpty()) {
            b.append(";alias:List<String>=\"").append(String.join(",",
                    aliases.stream().map(a -> a.replace(",", "\\,")).toList())).append('"');
        }
        if (!imports.isEmpty()) {
            b.append(";imports:List<String>=\"").append(String.join(",", imports)).append('"');
        }
        if (softdep != null) {
            b.append(";softdep=\"").append(softdep).append('"');
        }
        for (String e : exports) {
            b.append(",kernel.symbol;kernel.symbol=").append(e);
        }
        return b.toString();
    }

    public void file(String path, String content) throws IOException {
        Path f = hostPath(path);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content);
    }

    // ------------------------------------------------------------ Syscalls

    @Override
    public void finitModule(String path, String params, int flags) throws ErrnoException {
        calls.add("finit_module " + path + " '" + params + "'");
        Path f = hostPath(path);
        ModuleInfo info;
        try {
            info = ModuleInfo.read(f);
        } catch (NoSuchFileException e) {
            throw new ErrnoException(Errno.ENOENT);
        } catch (IOException | ModuleInfo.NotAModule e) {
            throw new ErrnoException(Errno.ENOEXEC);
        }
        if (loaded.containsKey(info.name())) {
            throw new ErrnoException(Errno.EEXIST);
        }
        List<String> owners = new ArrayList<>();
        for (String sym : resolveImports ? info.imports() : List.<String>of()) {
            String owner = null;
            for (Loaded l : loaded.values()) {
                if (l.info.exports().stream().anyMatch(e -> e.symbol().equals(sym))) {
                    owner = l.name;
                }
            }
            if (owner == null) {
                log.add(info.name() + ": Unknown symbol " + sym + " (err -2)");
                throw new ErrnoException(Errno.ENOENT);
            }
            if (!owners.contains(owner)) {
                owners.add(owner);
            }
        }
        Integer fail = failInit.get(info.name());
        if (fail != null) {
            throw new ErrnoException(fail);
        }
        Loaded l = new Loaded(info.name(), info);
        l.params = params;
        for (String o : owners) {
            loaded.get(o).holders.add(info.name());
            l.uses.add(o);
        }
        // /proc/modules lists the newest first
        Map<String, Loaded> copy = new LinkedHashMap<>(loaded);
        loaded.clear();
        loaded.put(l.name, l);
        loaded.putAll(copy);
    }

    @Override
    public void deleteModule(String name, int flags) throws ErrnoException {
        calls.add("delete_module " + name + " " + Integer.toOctalString(flags));
        Loaded l = loaded.get(name);
        if (l == null) {
            throw new ErrnoException(Errno.ENOENT);
        }
        if (!l.holders.isEmpty()) {
            throw new ErrnoException(Errno.EWOULDBLOCK);
        }
        if (l.extraRefs > 0 && (flags & O_TRUNC) == 0) {
            throw new ErrnoException(Errno.EWOULDBLOCK);
        }
        loaded.remove(name);
        for (String o : l.uses) {
            loaded.get(o).holders.remove(name);
        }
    }

    private int refcnt(Loaded l) {
        return l.holders.size() + l.extraRefs;
    }

    @Override
    public String read(String path) throws ErrnoException {
        if (path.equals("/proc/modules")) {
            StringBuilder b = new StringBuilder();
            for (Loaded l : loaded.values()) {
                b.append(l.name).append(' ').append(l.size).append(' ').append(refcnt(l)).append(' ')
                        .append(l.holders.isEmpty() ? "-" : String.join(",", l.holders) + ",")
                        .append(" Live 0x0000000000000000\n");
            }
            return b.toString();
        }
        if (path.equals("/proc/cmdline")) {
            return cmdline + "\n";
        }
        if (path.startsWith("/sys/module/")) {
            String[] p = path.substring("/sys/module/".length()).split("/");
            Loaded l = loaded.get(p[0]);
            if (l == null || p.length < 2) {
                throw new ErrnoException(l == null ? Errno.ENOENT : Errno.EISDIR);
            }
            return switch (p[1]) {
                case "initstate" -> l.state + "\n";
                case "refcnt" -> refcnt(l) + "\n";
                case "coresize" -> l.size + "\n";
                default -> throw new ErrnoException(Errno.ENOENT);
            };
        }
        if (path.startsWith("/proc") || path.startsWith("/sys")) {
            throw new ErrnoException(Errno.ENOENT);
        }
        Path f = hostPath(path);
        if (Files.isDirectory(f)) {
            throw new ErrnoException(Errno.EISDIR);
        }
        try {
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ErrnoException(Errno.ENOENT);
        }
    }

    @Override
    public void write(String path, String content) throws ErrnoException {
        if (path.startsWith("/proc") || path.startsWith("/sys")) {
            throw new ErrnoException(Errno.EACCES);
        }
        try {
            Path f = hostPath(path);
            if (!Files.isDirectory(f.getParent())) {
                throw new ErrnoException(Errno.ENOENT);
            }
            Files.writeString(f, content);
        } catch (IOException e) {
            throw new ErrnoException(Errno.EIO);
        }
    }

    @Override
    public List<String> list(String path) throws ErrnoException {
        if (path.equals("/sys/module")) {
            return new ArrayList<>(new TreeSet<>(loaded.keySet()));
        }
        if (path.startsWith("/sys/module/")) {
            String[] p = path.substring("/sys/module/".length()).split("/");
            Loaded l = loaded.get(p[0]);
            if (l == null) {
                throw new ErrnoException(Errno.ENOENT);
            }
            if (p.length == 1) {
                return List.of("coresize", "holders", "initstate", "refcnt");
            }
            if (p[1].equals("holders")) {
                return new ArrayList<>(new TreeSet<>(l.holders));
            }
            throw new ErrnoException(Errno.ENOTDIR);
        }
        Path d = hostPath(path);
        if (!Files.exists(d)) {
            throw new ErrnoException(Errno.ENOENT);
        }
        if (!Files.isDirectory(d)) {
            throw new ErrnoException(Errno.ENOTDIR);
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.map(x -> x.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new ErrnoException(Errno.EIO);
        }
    }

    @Override
    public Stat stat(String path) throws ErrnoException {
        if (path.startsWith("/proc") || path.startsWith("/sys")) {
            try {
                return new Stat(false, read(path).length(), 0, 0);
            } catch (ErrnoException e) {
                list(path);
                return new Stat(true, 0, 0, 0);
            }
        }
        Path f = hostPath(path);
        if (!Files.exists(f)) {
            throw new ErrnoException(Errno.ENOENT);
        }
        try {
            boolean dir = Files.isDirectory(f);
            return new Stat(dir, dir ? 0 : Files.size(f),
                    Files.getLastModifiedTime(f).to(java.util.concurrent.TimeUnit.NANOSECONDS), 0);
        } catch (IOException e) {
            throw new ErrnoException(Errno.EIO);
        }
    }

    @Override
    public byte[] readBytes(String path) throws ErrnoException {
        Path f = hostPath(path);
        if (Files.isDirectory(f)) {
            throw new ErrnoException(Errno.EISDIR);
        }
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new ErrnoException(Errno.ENOENT);
        }
    }

    @Override
    public void mkdir(String path) throws ErrnoException {
        if (path.startsWith("/proc") || path.startsWith("/sys")) {
            throw new ErrnoException(Errno.EACCES);
        }
        Path f = hostPath(path);
        if (Files.exists(f)) {
            throw new ErrnoException(Errno.EEXIST);
        }
        if (!Files.isDirectory(f.getParent())) {
            throw new ErrnoException(Errno.ENOENT);
        }
        try {
            Files.createDirectory(f);
        } catch (IOException e) {
            throw new ErrnoException(Errno.EIO);
        }
    }

    @Override
    public Path hostPath(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return root.resolve(p).normalize();
    }

    @Override
    public String kernelRelease() {
        return release;
    }

    @Override
    public int open(String path) throws ErrnoException {
        throw new ErrnoException(Errno.ENXIO);
    }

    @Override
    public long ioctl(int fd, int cmd, Object arg) throws ErrnoException {
        throw new ErrnoException(Errno.EBADF);
    }

    @Override
    public void close(int fd) throws ErrnoException {
        throw new ErrnoException(Errno.EBADF);
    }

    @Override
    public List<String> syslog(boolean clear) {
        List<String> out = new ArrayList<>();
        for (String l : log) {
            out.add("[    1.000000] " + l);
        }
        if (clear) {
            log.clear();
        }
        return out;
    }
}
