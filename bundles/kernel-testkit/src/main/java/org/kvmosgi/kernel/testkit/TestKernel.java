package org.kvmosgi.kernel.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import org.kvmosgi.kernel.api.Allocation;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.KThread;
import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.KernelServices;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.ModuleParams;
import org.kvmosgi.kernel.api.Printk;
import org.kvmosgi.kernel.api.SymbolExports;
import org.kvmosgi.kernel.api.dev.FileOperations;
import org.kvmosgi.kernel.api.dev.MiscDevice;
import org.kvmosgi.kernel.api.host.Host;
import org.kvmosgi.kernel.api.modinfo.ModuleInfo.Export;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kernel.Kernel;
import org.kvmosgi.kernel.KernelCore;
import org.kvmosgi.kernel.dev.Devices;
import org.kvmosgi.kernel.inject.CurrentStep;
import org.kvmosgi.kernel.inject.FailFunction;
import org.kvmosgi.kernel.module.BareModules;
import org.kvmosgi.kernel.module.ModuleList;
import org.kvmosgi.kernel.module.References;
import org.kvmosgi.kernel.printk.KernelLog;
import org.kvmosgi.kernel.printk.LogBuffer;
import org.kvmosgi.kernel.symbol.SymbolTable;

/**
 * The kernel a module's unit test runs the module's code in, without a framework, made of
 * the kernel's own classes ({@link KernelCore}, as the kernel bundle's activator builds
 * it): the module list with its references ({@link ModuleList}, {@link References}), misc
 * devices and the fd table ({@link Devices}: an open file pins its owner, an anon-inode fd
 * too), kmalloc charged to the module ({@code KmallocObject}), fail_function
 * ({@link FailFunction}) and printk into the log buffer ({@link LogBuffer}).
 *
 * <p>What the loader reads from a module file (its imports resolved against the symbol
 * table, its parameters parsed against their declarations) a class on a test's class path
 * does not have: the test gives the imports and the parameter values (see {@code BareModules}
 * for why this is not the loader's path; the exports go into the kernel's symbol table), and either runs the
 * module's init and exit itself ({@link #context}) or lets {@link #load} and
 * {@link #unload} run them with the loader's checks (unknown symbol,
 * EXPORT_SYMBOL_FOR_MODULES, references, -EBUSY).
 *
 * <p>User space's system calls ({@link #syscalls}) are the kernel's own system call table,
 * wired without a framework as the explorer's model kernel wires it
 * ({@code Kernel.withoutFramework}): /proc, /sys and /dev answer as on the platform (the
 * modules above listed too), files live below a root directory, and finit_module of a
 * module file loads it through the kernel's loader, its classes on a plain class loader
 * whose parent is the test's class path.
 */
public final class TestKernel {
    /** uname -r of the platform's kernel (the kernel's default release). */
    public static final String RELEASE = "6.13.0-kvmosgi";
    /** Where kmalloc hands out addresses (the direct map, as the kernel's own context does). */
    private final AtomicLong nextObject = new AtomicLong(0xffff888100000000L);
    /** The kernel's subsystems that need no framework, built as the kernel bundle's activator builds them. */
    private final KernelCore core;
    /** The same core with the symbol table, loader and system calls: what user space calls. */
    private final Kernel kernel;
    private final LogBuffer log;
    private final Printk printk;
    private final ModuleList modules;
    private final References refs;
    private final BareModules bare;
    private final Devices devices;
    private final FailFunction failFunction;
    /** The symbols the test gives (its own, no module's): what a module run by {@link #context} imports. */
    private final Map<String, Object> given = new HashMap<>();
    private final List<String> steps = Collections.synchronizedList(new ArrayList<>());
    /** The exports of each module {@link #load} loaded, in the kernel's symbol table until it goes. */
    private final Map<String, List<SymbolTable.Registration>> exported = new HashMap<>();
    private final Map<String, KernelModule> loaded = new LinkedHashMap<>();
    private final Map<String, Context> contexts = new HashMap<>();
    private BiFunction<String, String, List<String>> exportFor = (module, symbol) -> List.of();
    private Predicate<String> failKmalloc = what -> false;
    private boolean failMiscRegister;
    private Consumer<String> onMiscRegister = name -> {};

    /** A kernel whose root directory is a new empty one (removed at exit if it stays empty). */
    public TestKernel(Host host) {
        this(host, emptyRoot());
    }

    /** A kernel whose files (/lib/modules, /etc...) are below {@code root}. */
    public TestKernel(Host host, Path root) {
        this(host, root, RELEASE, "");
    }

    /** How a test boots a kernel other than the default one: its root, release and command line. */
    public static Builder builder(Host host) {
        return new Builder(host);
    }

    /** The boot parameters a test may choose; what it leaves alone is the platform's default. */
    public static final class Builder {
        private final Host host;
        private Path root;
        private String release = RELEASE;
        private String cmdline = "";

        private Builder(Host host) {
            this.host = host;
        }

        /** The directory the system calls' paths are below (default: a new empty one). */
        public Builder root(Path root) {
            this.root = root;
            return this;
        }

        /** uname -r, and so the directory below /lib/modules that kmod reads. */
        public Builder release(String release) {
            this.release = release;
            return this;
        }

        /**
         * The kernel command line (/proc/cmdline), which the kernel parses at boot as it
         * does on the platform: core parameters, {@code module.sig_enforce},
         * {@code module_blacklist=}, and {@code MODULE.PARAM=} for later loads.
         */
        public Builder cmdline(String cmdline) {
            this.cmdline = cmdline;
            return this;
        }

        public TestKernel build() {
            return new TestKernel(host, root == null ? emptyRoot() : root, release, cmdline);
        }
    }

    private TestKernel(Host host, Path root, String release, String cmdline) {
        log = new LogBuffer(System.nanoTime(), 1 << 14);
        core = KernelCore.of(new KernelCore.Boot(host, release, cmdline, root.toAbsolutePath().normalize(),
                KernelCore.SYMBOL_WAIT_MILLIS, FailFunction.DEFAULT_SEED), new KernelLog(null, log));
        kernel = Kernel.withoutFramework(core, TestKernel.class.getClassLoader());
        // what booting printed (the keyring's lines): tests read the log from here on, as the
        // platform's tests clear dmesg before each test
        log.read(true);
        printk = core.printk();
        modules = core.modules();
        refs = core.refs();
        devices = core.devices();
        failFunction = core.failFunction();
        bare = new BareModules(modules, refs);
    }

    private static Path emptyRoot() {
        try {
            Path root = Files.createTempDirectory("testkernel-root");
            root.toFile().deleteOnExit();
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Host host() {
        return core.boot().host();
    }

    /** The root directory the system calls' paths are below. */
    public Path root() {
        return core.boot().root();
    }

    // ------------------------------------------------------------ modules

    /**
     * What {@code module}'s init and exit see of the kernel, with these parameters (the
     * module's own {@code ModuleParams.update} writes into the map). The module is on the
     * module list from now on, LIVE.
     */
    public ModuleContext context(String module, Map<String, String> params) {
        bare.live(module);
        return new Context(module, params, null);
    }

    /** The module's init failed or its exit ran: GOING, try_module_get on it fails. */
    public void gone(String module) {
        bare.going(module);
    }

    /** A symbol of the test's own that the modules it runs import (no module exports it). */
    public void export(String symbol, Object value) {
        given.put(symbol, value);
    }

    /** A symbol's value: a loaded module's export (the kernel's symbol table), else the test's own. */
    public Object symbol(String name) {
        SymbolTable.Found f = kernel.symbols().find(name);
        return f != null ? kernel.symbols().value(f) : given.get(name);
    }

    /** module_refcount(). */
    public int refcount(String module) {
        return bare.refcount(module);
    }

    /** The module's kmalloc'ed objects not freed yet. */
    public int liveAllocations(String module) {
        return bare.allocations(module).size();
    }

    /** What they were for. */
    public List<String> allocationsOf(String module) {
        return bare.allocations(module);
    }

    // ------------------------------------------------------------ loading module classes

    /**
     * EXPORT_SYMBOL_FOR_MODULES of the modules {@link #load} loads: the modules that may link
     * a module's symbol (none: every module). The kernel reads it from the module file's
     * {@code .modinfo}, which a class on the test's class path does not have.
     */
    public void exportFor(BiFunction<String, String, List<String>> rule) {
        exportFor = rule;
    }

    /**
     * A load as the loader runs it, minus the file: each import resolved in the kernel's
     * symbol table (-ENOENT and "Unknown symbol" when no module exports it, -EINVAL and the
     * loader's namespace line when EXPORT_SYMBOL_FOR_MODULES leaves this module out), the
     * module's exports in that table from COMING (where a module file the kernel loads finds
     * them too), a use of each exporter, init; a failing init leaves nothing of it.
     */
    public int load(String name, KernelModule m, Map<String, String> params, String... imports) {
        if (bare.state(name) != null) {
            return Errno.EEXIST.neg();
        }
        SymbolTable table = kernel.symbols();
        List<String> users = new ArrayList<>();
        for (String sym : imports) {
            SymbolTable.Found f = table.find(sym);
            if (f == null) {
                printk.err("%s: Unknown symbol %s (err %d)", name, sym, Errno.ENOENT.neg());
                return Errno.ENOENT.neg();
            }
            int r = bare.verifyNamespace(printk, name, sym, f.namespace());
            if (r < 0) {
                return r;
            }
            if (!users.contains(f.owner())) {
                users.add(f.owner());
            }
        }
        int r = bare.coming(name);
        if (r != 0) {
            return r;
        }
        List<SymbolTable.Registration> mine = new ArrayList<>();
        m.exports(new SymbolExports() {
            @Override
            public <T> void put(String symbol, Class<T> type, T value) {
                // EXPORT_SYMBOL_FOR_MODULES as the .modinfo would declare it: GPL-only, in the namespace module:A,B
                Export e = new Export(symbol, false, exportFor.apply(name, symbol), "");
                mine.add(table.add(name, symbol, e.gplOnly(), e.effectiveNamespace(), value));
            }
        });
        for (String u : users) {
            bare.use(name, u);
        }
        Context ctx = new Context(name, params, Set.of(imports));
        r = m.init(ctx);
        if (r != 0) {
            mine.forEach(SymbolTable.Registration::unregister);
            bare.remove(name);
            return r;
        }
        bare.live(name);
        exported.put(name, mine);
        loaded.put(name, m);
        contexts.put(name, ctx);
        return 0;
    }

    /** delete_module: -ENOENT when not loaded, -EBUSY while referenced, else exit and off the list. */
    public int unload(String name) {
        KernelModule m = loaded.get(name);
        if (m == null) {
            return Errno.ENOENT.neg();
        }
        if (bare.refcount(name) > 0) {
            return Errno.EBUSY.neg();
        }
        bare.going(name);
        m.exit(contexts.remove(name));
        loaded.remove(name);
        exported.remove(name).forEach(SymbolTable.Registration::unregister);
        bare.remove(name);
        return 0;
    }

    /** Loaded by {@link #load} and not unloaded. */
    public boolean isLive(String name) {
        return loaded.containsKey(name);
    }

    /** The modules that use this one (lsmod's "Used by"). */
    public List<String> holders(String name) {
        return bare.holders(name);
    }

    /** Every module's kmalloc'ed objects not freed yet, by what they were for. */
    public List<String> allocations() {
        List<String> out = new ArrayList<>();
        for (String m : modules.locked(() -> modules.modules().stream().map(k -> k.name()).toList())) {
            out.addAll(bare.allocations(m));
        }
        return out;
    }

    // ------------------------------------------------------------ failures a test makes

    /** kmalloc returns NULL for the allocations whose {@code what} the predicate accepts. */
    public void failKmalloc(Predicate<String> what) {
        failKmalloc = what;
    }

    /** misc_register fails (-EBUSY: NULL) while set. */
    public void failMiscRegister(boolean fail) {
        failMiscRegister = fail;
    }

    /** Runs when a misc device is registered, before it is visible. */
    public void onMiscRegister(Consumer<String> hook) {
        onMiscRegister = hook;
    }

    // ------------------------------------------------------------ fail_function and steps

    /**
     * Arms a step ({@code kvm_hv:kvmppc_radix_init}) through fail_function: it returns
     * {@code retval} (a negative errno) instead of running, every time, and quietly
     * (verbose 0: no FAULT_INJECTION lines in dmesg, which the tests compare whole).
     */
    public void inject(String point, int retval) {
        check(point, failFunction.inject(point));
        check(point, failFunction.setRetval(point, Integer.toString(retval)));
        failFunction.setProbability(100);
        failFunction.setInterval(1);
        failFunction.setTimes(-1);
        failFunction.setVerbose(0);
    }

    private static void check(String point, int r) {
        if (r != 0) {
            throw new IllegalArgumentException("cannot arm " + point + ": " + r);
        }
    }

    /** The steps modules ran (or were failed at), {@code module:step}, in order. */
    public List<String> steps() {
        return List.copyOf(steps);
    }

    // ------------------------------------------------------------ printk

    /** The kernel log's messages since boot, oldest first, without timestamps. */
    public List<String> dmesg() {
        return log.read(false).stream().map(LogBuffer.Record::text).toList();
    }

    private Printk printk(String prefix) {
        return core.log().printk(prefix);
    }

    // ------------------------------------------------------------ devices and files

    /** The names under /dev. */
    public List<String> devices() {
        return devices.deviceNames();
    }

    /** The module a device's file operations belong to (an open file pins it). */
    public String deviceOwner(String name) {
        return devices.deviceOwners().get(name);
    }

    /** open(2) of /dev/NAME: the fd, or -errno. */
    public int open(String device) {
        return devices.open(device);
    }

    /** ioctl(2): the result, or -errno. */
    public long ioctl(int fd, int cmd, Object arg) {
        return devices.ioctl(fd, cmd, arg);
    }

    /** close(2): 0 or -EBADF. */
    public int close(int fd) {
        return devices.close(fd);
    }

    /** User space's system calls on this kernel: the kernel's own table. */
    public Syscalls syscalls() {
        return kernel.syscalls();
    }

    /**
     * Writes {@code module} at {@code path} below the root (its directories made), where
     * finit_module, depmod and modinfo find it; returns {@code path}.
     */
    public String moduleFile(String path, ModuleFile module) {
        try {
            module.writeTo(kernel.syscalls().hostPath(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return path;
    }

    /**
     * The module files finit_module loaded, kept as a framework keeps their bundles: also the
     * kernel's stand-in for a framework's raw start and stop of them.
     */
    public org.kvmosgi.kernel.fs.JarModuleFiles moduleFiles() {
        return (org.kvmosgi.kernel.fs.JarModuleFiles) kernel.moduleFiles();
    }

    /** Writes a regular file below the root (its directories made): a configuration file, an index. */
    public void file(String path, String content) {
        try {
            Path f = kernel.syscalls().hostPath(path);
            Files.createDirectories(f.getParent());
            Files.writeString(f, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The modules on the module list, newest first, as /proc/modules lists them. */
    public List<String> modules() {
        return modules.modules().stream().map(m -> m.name()).toList();
    }

    /** The open files, /dev's and anon inodes'. */
    public int openFiles() {
        return devices.openFilesByOwner().values().stream().mapToInt(Integer::intValue).sum();
    }

    // ------------------------------------------------------------ a module's view

    private final class Context implements ModuleContext, KernelServices {
        private final String module;
        private final Map<String, String> params;
        /** What the module's own code assigned to its parameters (ModuleParams.update). */
        private final Map<String, String> updated = new HashMap<>();
        /** What a {@link #load} resolved for it; null: the test's symbols, unchecked. */
        private final Set<String> imports;
        private final Printk log;

        Context(String module, Map<String, String> params, Set<String> imports) {
            this.module = module;
            this.params = params;
            this.imports = imports;
            this.log = printk(module + ": ");
        }

        @Override
        public String name() {
            return module;
        }

        @Override
        public Printk log() {
            return log;
        }

        @Override
        public Printk log(String prefix) {
            return printk(prefix);
        }

        @Override
        public <T> T symbol(String name, Class<T> type) {
            if (imports != null && !imports.contains(name)) {
                throw new IllegalArgumentException(module + " does not import " + name);
            }
            return type.cast(TestKernel.this.symbol(name));
        }

        /** The value the test gave (or the module's own code assigned since); null when neither did. */
        private String value(String n) {
            return updated.containsKey(n) ? updated.get(n) : params.get(n);
        }

        private String required(String n) {
            String v = value(n);
            if (v == null) {
                throw new IllegalArgumentException(module + " has no parameter " + n);
            }
            return v;
        }

        @Override
        public ModuleParams params() {
            return new ModuleParams() {
                @Override
                public boolean bool(String n) {
                    String v = required(n);
                    return v.equals("Y") || v.equals("y") || v.equals("1");
                }

                @Override
                public long integer(String n) {
                    return Long.parseLong(required(n));
                }

                @Override
                public String string(String n) {
                    return value(n);
                }

                @Override
                public int update(String n, String v) {
                    updated.put(n, v);
                    return 0;
                }
            };
        }

        @Override
        public Host host() {
            return core.boot().host();
        }

        @Override
        public int step(String name, IntSupplier body) {
            String point = module + ":" + name;
            steps.add(point);
            String outer = CurrentStep.enter(point);
            try {
                int injected = failFunction.check(point);
                return injected != 0 ? injected : body.getAsInt();
            } finally {
                CurrentStep.restore(outer);
            }
        }

        @Override
        public KernelServices kernel() {
            return this;
        }

        @Override
        public KThread kthreadRun(String name, ToIntFunction<KThread> threadfn) {
            // the KVM modules start no kernel threads: one that tries is a change the tests must see
            throw new AssertionError("unexpected kthread_run(" + name + ")");
        }

        @Override
        public Allocation kmalloc(String what, long size) {
            if (failKmalloc.test(what)) {
                return null;
            }
            long address = nextObject.getAndAdd((size + 63) / 64 * 64);
            return bare.kmalloc(module, what, size, address,
                    () -> printk.err("BUG: %s: double kfree of %s", module, what));
        }

        @Override
        public MiscDevice miscRegister(String name, String owner, FileOperations fops) {
            if (failMiscRegister || devices.deviceNames().contains(name)) {
                return null;
            }
            onMiscRegister.accept(name);
            return devices.miscRegister(module, name, owner, fops);
        }

        @Override
        public void miscDeregister(MiscDevice device) {
            devices.miscDeregister(device);
        }

        @Override
        public boolean tryModuleGet(String m) {
            return bare.tryModuleGet(module, m) != null;
        }

        @Override
        public org.kvmosgi.kernel.api.ModuleInstance tryModuleGetInstance(String m) {
            return bare.tryModuleGet(module, m);
        }

        @Override
        public void oopsInFreedText(org.kvmosgi.kernel.api.ModuleInstance freed, java.util.List<String> callers) {
            bare.oopsInFreedText(freed, callers);
        }

        @Override
        public void modulePut(String m) {
            bare.modulePut(module, m);
        }

        @Override
        public int requestModule(String name) {
            return Errno.ENOENT.neg();
        }
    }
}
