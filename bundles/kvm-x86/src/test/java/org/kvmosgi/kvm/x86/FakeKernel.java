package org.kvmosgi.kvm.x86;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.kvmosgi.kernel.api.Allocation;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.KernelServices;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.ModuleParams;
import org.kvmosgi.kernel.api.Printk;
import org.kvmosgi.kernel.api.dev.FileOperations;
import org.kvmosgi.kernel.api.dev.MiscDevice;
import org.kvmosgi.kernel.api.dev.OpenFile;
import org.kvmosgi.kernel.api.host.Host;
import org.kvmosgi.kernel.api.syscall.Syscalls;

/**
 * A kernel just big enough to load the KVM modules outside OSGi: a symbol table with
 * EXPORT_SYMBOL_FOR_MODULES checks, module references, kmalloc accounting with failure
 * injection, misc devices, one fd table, printk into a list. Its hosts are the kernel's own
 * (kernel-testkit's {@code Hosts}). The loader's own rules are
 * the kernel bundle's business; this only lets the modules' logic run.
 */
public final class FakeKernel implements Syscalls {
    public final Host host;
    public final List<String> dmesg = new ArrayList<>();
    /** Live allocations: what, owner. */
    public final Map<Allocation, String> allocations = new LinkedHashMap<>();
    public final Map<String, Integer> refcnt = new HashMap<>();
    public final Map<String, MiscDevice> devices = new HashMap<>();
    public final Map<String, FileOperations> deviceFops = new HashMap<>();
    private final Map<String, Object> symbols = new HashMap<>();
    private final Map<String, String[]> symbolFor = new HashMap<>();
    private final Map<String, String> symbolOwner = new HashMap<>();
    private final Map<String, KernelModule> live = new LinkedHashMap<>();
    private final Map<String, FakeContext> contexts = new HashMap<>();
    private final Map<Integer, FakeFile> fds = new HashMap<>();
    private int nextFd = 3;
    /** kmalloc fails for the allocation whose name the predicate accepts. */
    public Predicate<String> failKmalloc = w -> false;
    public boolean failMiscRegister;
    /** Called when a misc device is registered, before it is visible. */
    public java.util.function.Consumer<String> onMiscRegister = n -> {};

    public FakeKernel(Host host) {
        this.host = host;
    }

    // ---------------------------------------------------------------- modules

    /** Loads {@code m} as {@code name}: exports visible from COMING, gone again if init fails. */
    public int load(String name, KernelModule m, Map<String, String> params, String... imports) {
        if (live.containsKey(name)) {
            return Errno.EEXIST.neg();
        }
        List<String> users = new ArrayList<>();
        for (String sym : imports) {
            String owner = symbolOwner.get(sym);
            if (owner == null) {
                dmesg.add(name + ": Unknown symbol " + sym + " (err -2)");
                return Errno.ENOENT.neg();
            }
            String[] allowed = symbolFor.get(sym);
            if (allowed.length > 0 && !List.of(allowed).contains(name)) {
                dmesg.add(name + ": module is not allowed to use symbol " + sym);
                return Errno.EACCES.neg();
            }
            if (!users.contains(owner)) {
                users.add(owner);
            }
        }
        List<String> mine = new ArrayList<>();
        m.exports(new org.kvmosgi.kernel.api.SymbolExports() {
            @Override
            public <T> void put(String symbol, Class<T> type, T value) {
                symbols.put(symbol, value);
                symbolOwner.put(symbol, name);
                symbolFor.put(symbol, forModules(symbol));
                mine.add(symbol);
            }
        });
        users.forEach(u -> refcnt.merge(u, 1, Integer::sum));
        FakeContext ctx = new FakeContext(name, params, Set.of(imports));
        int r = m.init(ctx);
        if (r != 0) {
            users.forEach(u -> refcnt.merge(u, -1, Integer::sum));
            mine.forEach(s -> {
                symbols.remove(s);
                symbolOwner.remove(s);
                symbolFor.remove(s);
            });
            return r;
        }
        live.put(name, m);
        contexts.put(name, ctx);
        refcnt.putIfAbsent(name, 0);
        ctx.users = users;
        return 0;
    }

    /** EXPORT_SYMBOL_FOR_MODULES of kvm.ko: the KVM-internal symbols. */
    private static String[] forModules(String symbol) {
        return symbol.equals("kvm_get_kvm") || symbol.equals("kvm_put_kvm") || symbol.startsWith("kvm_page_track_") ? new String[0]
                : new String[] {"kvm_intel", "kvm_amd"};
    }

    /** delete_module: -EBUSY while referenced. */
    public int unload(String name) {
        KernelModule m = live.get(name);
        if (m == null) {
            return Errno.ENOENT.neg();
        }
        if (refcnt.getOrDefault(name, 0) > 0) {
            return Errno.EBUSY.neg();
        }
        FakeContext ctx = contexts.remove(name);
        m.exit(ctx);
        live.remove(name);
        ctx.users.forEach(u -> refcnt.merge(u, -1, Integer::sum));
        symbolOwner.entrySet().removeIf(e -> {
            if (e.getValue().equals(name)) {
                symbols.remove(e.getKey());
                symbolFor.remove(e.getKey());
                return true;
            }
            return false;
        });
        return 0;
    }

    public boolean isLive(String name) {
        return live.containsKey(name);
    }

    public Object symbol(String name) {
        return symbols.get(name);
    }

    /** Allocations still held by {@code owner}. */
    public List<String> allocationsOf(String owner) {
        List<String> l = new ArrayList<>();
        for (Map.Entry<Allocation, String> e : allocations.entrySet()) {
            if (e.getValue().equals(owner)) {
                l.add(e.getKey().what());
            }
        }
        return l;
    }

    final class FakeContext implements ModuleContext {
        final String name;
        final Map<String, String> params;
        /** What the module's own code assigned to its parameters (ModuleParams.update). */
        final Map<String, String> updated = new java.util.HashMap<>();
        final Set<String> imports;
        List<String> users = List.of();

        FakeContext(String name, Map<String, String> params, Set<String> imports) {
            this.name = name;
            this.params = params;
            this.imports = imports;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Printk log() {
            return log(name + ": ");
        }

        @Override
        public Printk log(String prefix) {
            return (level, fmt, args) -> dmesg.add(prefix + String.format(fmt, args));
        }

        @Override
        public <T> T symbol(String sym, Class<T> type) {
            if (!imports.contains(sym)) {
                throw new IllegalArgumentException(name + " does not import " + sym);
            }
            return type.cast(symbols.get(sym));
        }

        @Override
        public ModuleParams params() {
            return new ModuleParams() {
                @Override
                public boolean bool(String p) {
                    String v = value(p);
                    return v.equals("Y") || v.equals("y") || v.equals("1");
                }

                @Override
                public long integer(String p) {
                    return Long.parseLong(value(p));
                }

                @Override
                public String string(String p) {
                    return value(p);
                }

                @Override
                public int update(String p, String v) {
                    value(p);
                    updated.put(p, v);
                    return 0;
                }

                private String value(String p) {
                    String v = updated.containsKey(p) ? updated.get(p) : params.get(p);
                    if (v == null) {
                        throw new IllegalArgumentException(name + " has no parameter " + p);
                    }
                    return v;
                }
            };
        }

        @Override
        public Host host() {
            return host;
        }

        @Override
        public KernelServices kernel() {
            return services(name);
        }
    }

    KernelServices services(String module) {
        return new KernelServices() {
            @Override
            public org.kvmosgi.kernel.api.KThread kthreadRun(String name,
                    java.util.function.ToIntFunction<org.kvmosgi.kernel.api.KThread> threadfn) {
                // the KVM modules start no kernel threads: one that tries is a change the tests must see
                throw new AssertionError("unexpected kthread_run(" + name + ")");
            }

            @Override
            public Allocation kmalloc(String what, long size) {
                if (failKmalloc.test(what)) {
                    return null;
                }
                Allocation a = new Allocation() {
                    boolean freed;

                    @Override
                    public long size() {
                        return size;
                    }

                    @Override
                    public String what() {
                        return what;
                    }

                    @Override
                    public void free() {
                        if (freed) {
                            throw new IllegalStateException("double kfree of " + what);
                        }
                        freed = true;
                        allocations.remove(this);
                    }
                };
                allocations.put(a, module);
                return a;
            }

            @Override
            public MiscDevice miscRegister(String name, String owner, FileOperations fops) {
                if (failMiscRegister || devices.containsKey(name)) {
                    return null;
                }
                onMiscRegister.accept(name);
                MiscDevice d = new MiscDevice() {
                    @Override
                    public String name() {
                        return name;
                    }

                    @Override
                    public String owner() {
                        return owner;
                    }
                };
                devices.put(name, d);
                deviceFops.put(name, fops);
                return d;
            }

            @Override
            public void miscDeregister(MiscDevice device) {
                devices.remove(device.name());
                deviceFops.remove(device.name());
            }

            @Override
            public boolean tryModuleGet(String m) {
                return tryGet(m);
            }

            @Override
            public void modulePut(String m) {
                refcnt.merge(m, -1, Integer::sum);
            }

            @Override
            public int requestModule(String name) {
                return Errno.ENOSYS.neg();
            }
        };
    }

    boolean tryGet(String m) {
        refcnt.merge(m, 1, Integer::sum);
        return true;
    }

    // ---------------------------------------------------------------- files and system calls

    final class FakeFile implements OpenFile {
        final String path;
        final String owner;
        final FileOperations fops;
        Object data;

        FakeFile(String path, String owner, FileOperations fops, Object data) {
            this.path = path;
            this.owner = owner;
            this.fops = fops;
            this.data = data;
        }

        @Override
        public String path() {
            return path;
        }

        @Override
        public Object privateData() {
            return data;
        }

        @Override
        public void setPrivateData(Object d) {
            data = d;
        }

        @Override
        public int anonInodeGetFd(String name, String owner, FileOperations fops, Object privateData) {
            tryGet(owner);
            int fd = nextFd++;
            fds.put(fd, new FakeFile("anon_inode:" + name, owner, fops, privateData));
            return fd;
        }
    }

    @Override
    public int open(String path) throws ErrnoException {
        if (!path.startsWith("/dev/")) {
            throw new ErrnoException(Errno.ENOENT);
        }
        String name = path.substring(5);
        MiscDevice d = devices.get(name);
        if (d == null) {
            throw new ErrnoException(Errno.ENOENT);
        }
        tryGet(d.owner());
        FakeFile f = new FakeFile(path, d.owner(), deviceFops.get(name), null);
        int r = f.fops.open(f);
        if (r < 0) {
            refcnt.merge(d.owner(), -1, Integer::sum);
            throw new ErrnoException(-r);
        }
        int fd = nextFd++;
        fds.put(fd, f);
        return fd;
    }

    @Override
    public long ioctl(int fd, int cmd, Object arg) throws ErrnoException {
        FakeFile f = fds.get(fd);
        if (f == null) {
            throw new ErrnoException(Errno.EBADF);
        }
        long r = f.fops.ioctl(f, cmd, arg);
        if (r < 0) {
            throw new ErrnoException((int) -r);
        }
        return r;
    }

    @Override
    public void close(int fd) throws ErrnoException {
        FakeFile f = fds.remove(fd);
        if (f == null) {
            throw new ErrnoException(Errno.EBADF);
        }
        f.fops.release(f);
        refcnt.merge(f.owner, -1, Integer::sum);
    }

    public int openFds() {
        return fds.size();
    }

    @Override
    public void finitModule(String path, String params, int flags) throws ErrnoException {
        throw new ErrnoException(Errno.ENOSYS);
    }

    @Override
    public void deleteModule(String name, int flags) throws ErrnoException {
        throw new ErrnoException(Errno.ENOSYS);
    }

    @Override
    public String read(String path) throws ErrnoException {
        throw new ErrnoException(Errno.ENOSYS);
    }

    @Override
    public void write(String path, String content) throws ErrnoException {
        throw new ErrnoException(Errno.ENOSYS);
    }

    @Override
    public List<String> list(String path) throws ErrnoException {
        throw new ErrnoException(Errno.ENOSYS);
    }

    @Override
    public Path hostPath(String path) {
        return null;
    }

    @Override
    public String kernelRelease() {
        return "6.13.0-kvmosgi";
    }

    @Override
    public List<String> syslog(boolean clear) {
        return List.copyOf(dmesg);
    }
}
