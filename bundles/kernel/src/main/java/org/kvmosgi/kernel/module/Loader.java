package org.kvmosgi.kernel.module;

import static org.kvmosgi.kernel.api.Errno.EBUSY;
import static org.kvmosgi.kernel.api.Errno.EEXIST;
import static org.kvmosgi.kernel.api.Errno.EINVAL;
import static org.kvmosgi.kernel.api.Errno.ENOENT;
import static org.kvmosgi.kernel.api.Errno.ENOEXEC;
import static org.kvmosgi.kernel.api.Errno.EPERM;
import static org.kvmosgi.kernel.api.Errno.EWOULDBLOCK;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.kvmosgi.kernel.Kernel;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleLoadError;
import org.kvmosgi.kernel.api.ModuleLoader;
import org.kvmosgi.kernel.api.Printk;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kernel.inject.CurrentStep;
import org.kvmosgi.kernel.inject.Kmemleak;
import org.kvmosgi.kernel.module.ModInfo.ExportDecl;
import org.kvmosgi.kernel.param.ParamArgs;
import org.kvmosgi.kernel.param.ParamSpec;
import org.kvmosgi.kernel.param.ParamValues;
import org.kvmosgi.kernel.symbol.SymbolTable;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceRegistration;

/**
 * The module loader: load_module + do_init_module and delete_module, in the kernel's
 * order of steps with its errnos and messages (kernel/module/main.c). Every step that
 * succeeds pushes its undo; a failing step runs the undos in reverse, so nothing of a
 * failed module remains.
 *
 * <p>It runs inside the module bundle's start and stop ({@link KernelModule}), so a
 * raw framework start or stop takes the same path as insmod and rmmod.
 */
public final class Loader implements ModuleLoader {
    /** The size initcall_debug prints for a module's init function (see {@link #initcallSymbol}). */
    static final long INIT_TEXT_SIZE = 0x1000;


    /**
     * The loader's own fault injection points, {@code loader:NAME}, named after the
     * kernel functions that do each step.
     */
    public static final List<String> INJECTION_POINTS = List.of("early_mod_check", "layout_and_allocate",
            "add_unformed_module", "simplify_symbols", "complete_formation", "parse_args", "mod_sysfs_setup",
            "do_init_module");

    /** What finit_module passed for a start it asked for; a raw start has none. */
    public record LoadRequest(String params, int flags) {}

    private final Kernel kernel;
    private final long symbolWaitMillis;
    /** module_mutex */
    private final ReentrantLock mutex = new ReentrantLock();
    /** module_wq: signalled whenever a module changes state or leaves. */
    private final Condition moduleWq = mutex.newCondition();
    /** The modules list, oldest first (the kernel's list is newest first: see {@link #modules()}). */
    private final Map<String, KModule> modules = new LinkedHashMap<>();
    private final Map<Bundle, LoadRequest> requests = new ConcurrentHashMap<>();
    private final AtomicLong nextAddress = new AtomicLong(0xffffffffc0000000L);

    public Loader(Kernel kernel, long symbolWaitMillis) {
        this.kernel = kernel;
        this.symbolWaitMillis = symbolWaitMillis;
    }

    /** finit_module's arguments for the start it is about to make of {@code bundle}. */
    public void expect(Bundle bundle, LoadRequest request) {
        requests.put(bundle, request);
    }

    public void forget(Bundle bundle) {
        requests.remove(bundle);
    }

    // ---------------------------------------------------------------- queries

    /** The loaded modules, newest first, as /proc/modules lists them; UNFORMED ones hidden. */
    public List<KModule> modules() {
        mutex.lock();
        try {
            List<KModule> out = new ArrayList<>();
            for (KModule m : modules.values()) {
                if (m.state != ModuleState.UNFORMED) {
                    out.add(0, m);
                }
            }
            return out;
        } finally {
            mutex.unlock();
        }
    }

    /** find_module: a formed module of that name ('-' and '_' alike), or null. */
    public KModule find(String name) {
        mutex.lock();
        try {
            KModule m = modules.get(name.replace('-', '_'));
            return m == null || m.state == ModuleState.UNFORMED ? null : m;
        } finally {
            mutex.unlock();
        }
    }

    /** The module a bundle holds, whatever its state, or null. */
    public KModule byBundle(Bundle bundle) {
        mutex.lock();
        try {
            for (KModule m : modules.values()) {
                if (m.bundle.equals(bundle)) {
                    return m;
                }
            }
            return null;
        } finally {
            mutex.unlock();
        }
    }

    /** Runs {@code r} under module_mutex, for readers that need a consistent picture. */
    public <T> T locked(java.util.function.Supplier<T> r) {
        mutex.lock();
        try {
            return r.get();
        } finally {
            mutex.unlock();
        }
    }

    // ---------------------------------------------------------------- load

    @Override
    public void load(BundleContext context, KernelModule code) throws BundleException {
        Bundle bundle = context.getBundle();
        LoadRequest req = requests.remove(bundle);
        if (req == null) {
            req = new LoadRequest("", 0);
        }
        Attempt attempt = new Attempt();
        attempt.name = bundle.getSymbolicName();
        long firstSeq = kernel.log().buffer().nextSeq();
        Attempt outer = CURRENT.get();
        CURRENT.set(attempt);
        int ret;
        try {
            ret = loadModule(context, code, req, attempt);
        } finally {
            CURRENT.set(outer);
        }
        String name = attempt.name;
        String step = attempt.failedStep != null ? attempt.failedStep : attempt.step;
        kernel.loadHistory().record(name, ret, ret < 0 ? step : null,
                kernel.log().buffer().since(firstSeq), kernel.host().profile());
        if (ret < 0) {
            throw new BundleException(name + ": " + Errno.strerror(ret), BundleException.ACTIVATOR_ERROR,
                    new ModuleLoadError(name, ret));
        }
    }

    /** Where a load is: the step it is in, for the load history. */
    private static final class Attempt {
        String step = "loader:load_info";
        /** The module's name once its .modinfo is read; the bundle's symbolic name before. */
        String name;
        KModule module;
        /** The first module step that failed while this load ran, whichever module's code ran it. */
        String failedStep;
    }

    /** The load this thread is doing; a nested load (request_module from init) has its own. */
    private static final ThreadLocal<Attempt> CURRENT = new ThreadLocal<>();

    /**
     * A module step failed on this thread: it is charged to the load under way (kvm.ko's
     * steps run inside kvm_intel's load), the first one only, as the root cause.
     */
    static void noteFailedStep(String point) {
        Attempt a = CURRENT.get();
        if (a != null && a.failedStep == null) {
            a.failedStep = point;
        }
    }

    private int loadModule(BundleContext context, KernelModule code, LoadRequest req, Attempt attempt) {
        Bundle bundle = context.getBundle();
        Printk pr = kernel.printk();
        Deque<Runnable> undo = new ArrayDeque<>();

        // 2. format checks: a well-formed .modinfo and the exports it declares
        attempt.step = "loader:load_info";
        ModInfo info;
        try {
            info = ModInfo.read(bundle);
        } catch (ModInfo.FormatError e) {
            pr.err("%s: invalid module format: %s", bundle.getSymbolicName(), e.getMessage());
            return ENOEXEC.neg();
        }
        String name = info.name();
        attempt.name = name;
        Map<String, Exported> exported = collectExports(code, info);
        if (exported == null) {
            return ENOEXEC.neg();
        }
        ParamValues params;
        try {
            params = new ParamValues(info.params());
        } catch (IllegalArgumentException e) {
            pr.err("%s: invalid module format: %s", name, e.getMessage());
            return ENOEXEC.neg();
        }

        // 3. blacklist, then a first check that the name is free
        attempt.step = "loader:early_mod_check";
        int injected = inject("early_mod_check");
        if (injected < 0) {
            return injected;
        }
        if (kernel.blacklisted(name)) {
            pr.err("Module %s is blacklisted", name);
            return EPERM.neg();
        }
        mutex.lock();
        try {
            int r = patientCheckExists(name);
            if (r < 0) {
                return r;
            }
        } finally {
            mutex.unlock();
        }

        // 4. allocate
        attempt.step = "loader:layout_and_allocate";
        injected = inject("layout_and_allocate");
        if (injected < 0) {
            return injected;
        }
        long size = coreSize(bundle);
        KModule mod = new KModule(name, bundle, info, code, size, nextAddress.getAndAdd(size));
        mod.params = params;

        // 5. add_unformed_module: the name is checked again under the mutex
        attempt.step = "loader:add_unformed_module";
        injected = inject("add_unformed_module");
        if (injected < 0) {
            return injected;
        }
        mutex.lock();
        try {
            int r = patientCheckExists(name);
            if (r < 0) {
                return r;
            }
            modules.put(name, mod);
        } finally {
            mutex.unlock();
        }
        augmentKernelTaints(mod, req);
        undo.push(() -> {
            mutex.lock();
            try {
                modules.remove(name);
                moduleWq.signalAll();
            } finally {
                mutex.unlock();
            }
        });

        // 6. the refcount is set up with the module (Refcount starts at its base)
        // 7. simplify_symbols: resolve every import, waiting for COMING owners
        undo.push(() -> releaseUses(mod));
        attempt.step = "loader:simplify_symbols";
        int r = inject("simplify_symbols");
        if (r == 0) {
            r = resolveImports(mod);
        }
        if (r < 0) {
            unwind(undo);
            return r;
        }

        // 8. relocation has no counterpart in the JVM
        // 9. complete_formation: duplicate exports refused, exports registered, COMING
        undo.push(() -> unregisterExports(mod));
        attempt.step = "loader:complete_formation";
        r = inject("complete_formation");
        if (r == 0) {
            r = completeFormation(context, mod, exported);
        }
        if (r < 0) {
            unwind(undo);
            return r;
        }

        // 11. parse_args, while COMING
        attempt.step = "loader:parse_args";
        r = inject("parse_args");
        if (r == 0) {
            r = parseArgs(mod, req.params());
        }
        if (r < 0) {
            goingAndUnwind(mod, undo);
            return r;
        }

        // 12. mod_sysfs_setup
        attempt.step = "loader:mod_sysfs_setup";
        r = inject("mod_sysfs_setup");
        if (r < 0) {
            goingAndUnwind(mod, undo);
            return r;
        }
        mod.sysfs = true;
        undo.push(() -> mod.sysfs = false);

        // 13. do_init_module
        ModuleContextImpl ctx = new ModuleContextImpl(kernel, mod);
        attempt.step = "loader:do_init_module";
        attempt.module = mod;
        int ret = inject("do_init_module");
        if (ret == 0) {
            attempt.step = name + ":init";
            String outer = CurrentStep.enter(name + ":init");
            boolean debug = kernel.coreParams().initcallDebug();
            long calltime = 0;
            if (debug) {
                // do_trace_initcall_start: current->pid is the loading thread's id here
                pr.debug("calling  %s @ %d", initcallSymbol(mod), Thread.currentThread().getId());
                calltime = System.nanoTime();
            }
            try {
                ret = code.init(ctx);
            } catch (RuntimeException | LinkageError e) {
                pr.err("BUG: %s: init threw %s", name, e);
                ret = Errno.EFAULT.neg();
            } finally {
                CurrentStep.restore(outer);
            }
            if (debug) {
                pr.debug("initcall %s returned %d after %d usecs", initcallSymbol(mod), ret,
                        (System.nanoTime() - calltime) / 1000);
            }
        }
        if (ret < 0) {
            goingAndUnwind(mod, undo);
            return ret;
        }
        if (ret > 0) {
            pr.warn("do_init_module: '%s'->init suspiciously returned %d, it should follow 0/-E convention", name,
                    ret);
            pr.warn("do_init_module: loading module anyway...");
        }
        setState(mod, ModuleState.LIVE);
        return 0;
    }

    /**
     * {@code %pS} of the module's init function: {@code vmx_init+0x0/0x1000 [kvm_intel]}.
     * The model has no init text to measure, so the symbol's size is one page
     * ({@link #INIT_TEXT_SIZE}), what a small module's init shows in Linux's logs.
     */
    static String initcallSymbol(KModule mod) {
        return mod.info.initcall() + "+0x0/0x" + Long.toHexString(INIT_TEXT_SIZE) + " [" + mod.name + "]";
    }

    /** module_augment_kernel_taints: the license check, and forced loads. Taints stay after a failure. */
    private void augmentKernelTaints(KModule mod, LoadRequest req) {
        if (!mod.info.gplCompatible()) {
            String license = mod.info.license().isEmpty() ? "unspecified" : mod.info.license();
            if (!kernel.taint().test(Taint.PROPRIETARY_MODULE)) {
                kernel.printk().warn("%s: module license '%s' taints kernel.", mod.name, license);
            }
            kernel.taint().add(Taint.PROPRIETARY_MODULE);
            mod.taints.add(Taint.letter(Taint.PROPRIETARY_MODULE));
        }
        if ((req.flags() & (Syscalls.MODULE_INIT_IGNORE_MODVERSIONS | Syscalls.MODULE_INIT_IGNORE_VERMAGIC)) != 0) {
            kernel.taint().add(Taint.FORCED_MODULE);
            mod.taints.add(Taint.letter(Taint.FORCED_MODULE));
        }
    }

    /** An armed loader injection point: its errno, else 0. */
    private int inject(String step) {
        return kernel.failFunction().check("loader:" + step);
    }

    /** do_init_module's fail path: GOING first, then everything undone in reverse. */
    private void goingAndUnwind(KModule mod, Deque<Runnable> undo) {
        setState(mod, ModuleState.GOING);
        unwind(undo);
        reportLeaks(mod);
    }

    private static void unwind(Deque<Runnable> undo) {
        while (!undo.isEmpty()) {
            undo.pop().run();
        }
    }

    /** The objects behind the declared exports, or null (and a message) when they do not match. */
    private Map<String, Exported> collectExports(KernelModule code, ModInfo info) {
        Map<String, Exported> got = new LinkedHashMap<>();
        Printk pr = kernel.printk();
        String[] problem = new String[1];
        code.exports(new org.kvmosgi.kernel.api.SymbolExports() {
            @Override
            public <T> void put(String symbol, Class<T> type, T value) {
                if (value == null || !type.isInstance(value)) {
                    problem[0] = "symbol " + symbol + " has no definition of type " + type.getName();
                } else if (got.put(symbol, new Exported(type, value)) != null) {
                    problem[0] = "symbol " + symbol + " defined twice";
                }
            }
        });
        for (ExportDecl d : info.exports()) {
            if (!got.containsKey(d.name()) && problem[0] == null) {
                problem[0] = "exported symbol " + d.name() + " has no definition";
            }
        }
        for (String s : got.keySet()) {
            if (info.exports().stream().noneMatch(d -> d.name().equals(s)) && problem[0] == null) {
                problem[0] = "symbol " + s + " is defined but not declared with @ExportSymbol";
            }
        }
        if (problem[0] != null) {
            pr.err("%s: invalid module format: %s", info.name(), problem[0]);
            return null;
        }
        return got;
    }

    private record Exported(Class<?> type, Object value) {}

    /**
     * module_patient_check_exists (6.4+): wait while a module of that name is still
     * loading; then -EEXIST if it is live, -EBUSY if it failed or is going. Called with
     * the mutex held.
     */
    private int patientCheckExists(String name) {
        KModule old = modules.get(name);
        if (old == null) {
            return 0;
        }
        while (old != null && (old.state == ModuleState.COMING || old.state == ModuleState.UNFORMED)) {
            moduleWq.awaitUninterruptibly();
            old = modules.get(name);
        }
        if (old == null) {
            // it went away (failed): don't retry at once, as the kernel does
            return EBUSY.neg();
        }
        return old.state == ModuleState.LIVE ? EEXIST.neg() : EBUSY.neg();
    }

    /** simplify_symbols with resolve_symbol_wait for each import. */
    private int resolveImports(KModule mod) {
        Printk pr = kernel.printk();
        for (String sym : mod.info.imports()) {
            int[] err = new int[1];
            String[] owner = new String[1];
            Object value;
            mutex.lock();
            try {
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(symbolWaitMillis);
                while (true) {
                    value = resolveSymbol(mod, sym, err, owner);
                    if (value != null || err[0] != EBUSY.neg()) {
                        break;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        pr.warn("%s: gave up waiting for init of module %s.", mod.name, owner[0]);
                        break;
                    }
                    try {
                        moduleWq.awaitNanos(left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        err[0] = Errno.EINTR.neg();
                        break;
                    }
                }
            } finally {
                mutex.unlock();
            }
            if (value == null) {
                int ret = err[0] != 0 ? err[0] : ENOENT.neg();
                pr.warn("%s: Unknown symbol %s (err %d)", mod.name, sym, ret);
                return ret;
            }
            mod.imports.put(sym, value);
        }
        return 0;
    }

    /**
     * resolve_symbol: find it (GPL-only ones only for GPL-compatible modules), check
     * the namespace, take a reference on the owner (ref_module). Called with the mutex
     * held. Returns the value, or null with err set (0 for not found).
     */
    private Object resolveSymbol(KModule mod, String sym, int[] err, String[] ownerName) {
        err[0] = 0;
        SymbolTable.Found f = kernel.symbols().find(sym);
        if (f == null || (f.gplOnly() && !mod.info.gplCompatible())) {
            return null;
        }
        ownerName[0] = f.owner();
        String ns = f.namespace();
        if (ns != null && !ns.isEmpty() && !namespaceImported(mod, ns)) {
            kernel.printk().err("%s: module uses symbol (%s) from namespace %s, but does not import it.",
                    mod.name, sym, ns);
            err[0] = EINVAL.neg();
            return null;
        }
        KModule owner = modules.get(f.owner());
        if (owner == null) {
            return null;
        }
        int r = refModule(mod, owner);
        if (r < 0) {
            err[0] = r;
            return null;
        }
        Object value = kernel.context().getService(f.ref());
        kernel.context().ungetService(f.ref());
        return value;
    }

    /** verify_namespace_is_imported, with EXPORT_SYMBOL_FOR_MODULES' "module:" namespaces. */
    private static boolean namespaceImported(KModule mod, String ns) {
        if (ns.startsWith("module:")) {
            for (String allowed : ns.substring("module:".length()).split(",")) {
                if (allowed.replace('-', '_').equals(mod.name)) {
                    return true;
                }
            }
            return false;
        }
        return mod.info.importNamespaces().contains(ns);
    }

    /** ref_module: record the use and take a reference, unless already done. */
    private int refModule(KModule user, KModule owner) {
        if (owner == user || user.uses.contains(owner)) {
            return 0;
        }
        if (owner.state == ModuleState.COMING) {
            return EBUSY.neg();
        }
        if (owner.state != ModuleState.LIVE) {
            return ENOENT.neg();
        }
        owner.refcnt.get();
        owner.holders.add(user);
        user.uses.add(owner);
        return 0;
    }

    /** module_unload_free: drop every use and the reference it held. */
    private void releaseUses(KModule mod) {
        mutex.lock();
        try {
            for (KModule owner : mod.uses) {
                owner.holders.remove(mod);
                owner.refcnt.put();
            }
            mod.uses.clear();
            mod.imports.clear();
            moduleWq.signalAll();
        } finally {
            mutex.unlock();
        }
    }

    /** verify_exported_symbols, then the exports appear and the module turns COMING. */
    private int completeFormation(BundleContext context, KModule mod, Map<String, Exported> exported) {
        mutex.lock();
        try {
            for (ExportDecl d : mod.info.exports()) {
                SymbolTable.Found f = kernel.symbols().find(d.name());
                if (f != null) {
                    kernel.printk().err("%s: exports duplicate symbol %s (owned by %s)", mod.name, d.name(),
                            f.owner());
                    return ENOEXEC.neg();
                }
            }
            for (ExportDecl d : mod.info.exports()) {
                Exported e = exported.get(d.name());
                mod.exports.add(kernel.symbols().register(context, mod.name, d.name(), d.gplOnly(),
                        d.effectiveNamespace(), e.type(), e.value()));
            }
            mod.state = ModuleState.COMING;
            moduleWq.signalAll();
            return 0;
        } finally {
            mutex.unlock();
        }
    }

    /**
     * The exports go, outside module_mutex: unregistering runs the registry's listeners
     * (the symbol index, SCR, Gogo) synchronously, and none of them needs the mutex held.
     * The module is GOING or failed here, so no importer can take its symbols meanwhile.
     */
    private void unregisterExports(KModule mod) {
        List<ServiceRegistration<?>> regs = locked(() -> {
            List<ServiceRegistration<?>> l = new ArrayList<>(mod.exports);
            mod.exports.clear();
            return l;
        });
        for (ServiceRegistration<?> reg : regs) {
            try {
                reg.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework's own cleanup of a failed start got there first
            }
        }
        mutex.lock();
        try {
            moduleWq.signalAll();
        } finally {
            mutex.unlock();
        }
    }

    /** parse_args for a module: unknown names warned and ignored, bad values fail after all are tried. */
    private int parseArgs(KModule mod, String args) {
        Printk pr = kernel.printk();
        int err = 0;
        for (ParamArgs.Arg a : ParamArgs.split(args)) {
            ParamSpec spec = mod.params.find(a.name());
            if (spec == null) {
                pr.warn("%s: unknown parameter '%s' ignored", mod.name, a.name());
                continue;
            }
            int r = mod.params.set(spec, a.value());
            if (r == 0) {
                continue;
            }
            String val = a.value() == null ? "" : a.value();
            if (r == Errno.ENOSPC.neg()) {
                pr.err("%s: `%s' too large for parameter `%s'", mod.name, val, spec.name());
            } else {
                pr.err("%s: `%s' invalid for parameter `%s'", mod.name, val, spec.name());
            }
            // parse_args keeps the setter's own error: -ERANGE for a number out of range
            err = r;
        }
        return err;
    }

    private void setState(KModule mod, ModuleState state) {
        mutex.lock();
        try {
            mod.state = state;
            moduleWq.signalAll();
        } finally {
            mutex.unlock();
        }
    }

    /** The module's size as lsmod shows it: its bundle's bytes, rounded up to pages. */
    private static long coreSize(Bundle bundle) {
        long bytes = 0;
        java.util.Enumeration<java.net.URL> e = bundle.findEntries("/", "*.class", true);
        if (e != null) {
            while (e.hasMoreElements()) {
                try (java.io.InputStream in = e.nextElement().openStream()) {
                    bytes += in.transferTo(java.io.OutputStream.nullOutputStream());
                } catch (java.io.IOException ignored) {
                    // an unreadable entry adds nothing
                }
            }
        }
        return Math.max(4096, (bytes + 4095) / 4096 * 4096);
    }

    // ---------------------------------------------------------------- references

    /** try_module_get: false unless the module is LIVE (or COMING: its own init may open files). */
    public boolean tryModuleGet(String name) {
        mutex.lock();
        try {
            KModule m = modules.get(name.replace('-', '_'));
            if (m == null || (m.state != ModuleState.LIVE && m.state != ModuleState.COMING)) {
                return false;
            }
            m.refcnt.get();
            return true;
        } finally {
            mutex.unlock();
        }
    }

    /** module_put. */
    public void modulePut(String name) {
        mutex.lock();
        try {
            KModule m = modules.get(name.replace('-', '_'));
            if (m != null) {
                m.refcnt.put();
                moduleWq.signalAll();
            }
        } finally {
            mutex.unlock();
        }
    }

    // ---------------------------------------------------------------- unload

    /**
     * delete_module's checks, in the kernel's order, and the switch to GOING. The
     * caller then stops the bundle, whose stop runs exit and frees the module.
     */
    public int prepareDelete(String name, int flags) {
        mutex.lock();
        try {
            KModule mod = modules.get(name.replace('-', '_'));
            if (mod == null || mod.state == ModuleState.UNFORMED) {
                return ENOENT.neg();
            }
            if (!mod.holders.isEmpty()) {
                return EWOULDBLOCK.neg();
            }
            if (mod.state != ModuleState.LIVE) {
                return EBUSY.neg();
            }
            boolean force = (flags & Syscalls.O_TRUNC) != 0;
            if (!mod.hasExit) {
                if (!force) {
                    return EBUSY.neg();
                }
                kernel.taint().add(Taint.FORCED_RMMOD);
            }
            if (mod.refcnt.value() != 0) {
                if (!force) {
                    return EWOULDBLOCK.neg();
                }
                kernel.taint().add(Taint.FORCED_RMMOD);
            }
            mod.state = ModuleState.GOING;
            moduleWq.signalAll();
            return 0;
        } finally {
            mutex.unlock();
        }
    }

    @Override
    public void unload(BundleContext context, KernelModule code) throws BundleException {
        Bundle bundle = context.getBundle();
        KModule mod = byBundle(bundle);
        if (mod == null) {
            return;
        }
        if (mod.state == ModuleState.LIVE) {
            rawStop(mod);
        }
        if (mod.hasExit) {
            String outer = CurrentStep.enter(mod.name + ":exit");
            try {
                mod.code.exit(new ModuleContextImpl(kernel, mod));
            } catch (RuntimeException | LinkageError e) {
                kernel.printk().err("BUG: %s: exit threw %s", mod.name, e);
            } finally {
                CurrentStep.restore(outer);
            }
        }
        freeModule(mod);
    }

    /**
     * A framework stop of a LIVE module, which OSGi cannot refuse. The kernel would
     * refuse it (holders, open files, no exit), so the model makes it consistent: the
     * modules using it are unloaded first (their bundles stopped, which recurses), and
     * what rmmod would only do when forced (open files, no exit) taints the kernel as a
     * forced unload does.
     */
    private void rawStop(KModule mod) {
        Printk pr = kernel.printk();
        List<KModule> holders = locked(() -> new ArrayList<>(mod.holders));
        for (KModule h : holders) {
            pr.notice("%s: framework stop of a module in use: unloading %s first", mod.name, h.name);
            try {
                h.bundle.stop(Bundle.STOP_TRANSIENT);
            } catch (BundleException | IllegalStateException e) {
                pr.err("%s: could not stop %s: %s", mod.name, h.name, e.getMessage());
            }
        }
        mutex.lock();
        try {
            if (!mod.hasExit || mod.refcnt.value() != 0) {
                pr.warn("%s: framework stop forces the unload (%s)", mod.name,
                        !mod.hasExit ? "no exit function" : "refcount " + mod.refcnt.value());
                kernel.taint().add(Taint.FORCED_RMMOD);
            }
            mod.state = ModuleState.GOING;
            moduleWq.signalAll();
        } finally {
            mutex.unlock();
        }
    }

    /** free_module: sysfs, exports, uses, parameters, then off the list. */
    private void freeModule(KModule mod) {
        mod.sysfs = false;
        unregisterExports(mod);
        releaseUses(mod);
        reportLeaks(mod);
        mutex.lock();
        try {
            modules.remove(mod.name);
            moduleWq.signalAll();
        } finally {
            mutex.unlock();
        }
    }

    /**
     * kmemleak for a module that went: what it still holds (memory, devices it
     * registered, references it took) is reported, with the step that took it.
     */
    private void reportLeaks(KModule mod) {
        List<Kmemleak.Leak> leaks = new ArrayList<>();
        mod.allocations.forEach((a, step) -> leaks.add(new Kmemleak.Leak(mod.name, "kmalloc", a.what, a.size,
                a.address, step)));
        for (String dev : kernel.devices().registeredBy(mod.name)) {
            leaks.add(new Kmemleak.Leak(mod.name, "misc device", "/dev/" + dev, 0, 0, mod.name + ":init"));
        }
        mod.refsTaken.forEach((owner, n) -> leaks.add(new Kmemleak.Leak(mod.name, "module reference",
                n + " on " + owner, 0, 0, mod.name + ":init")));
        for (KThreadImpl t : List.copyOf(mod.threads)) {
            leaks.add(new Kmemleak.Leak(mod.name, "kthread", "[" + t.name() + "]", 0, 0, t.step));
            // in Linux it would go on running the freed module's code; the model stops it
            kernel.printk().err("BUG: kthread %s of %s outlived its module: stopped", t.name(), mod.name);
            t.stop();
        }
        if (!leaks.isEmpty()) {
            kernel.kmemleak().add(leaks);
            kernel.printk().err("kmemleak: %d new suspected memory leaks (see /sys/kernel/debug/kmemleak)",
                    leaks.size());
        }
    }

    /**
     * Brings the kernel back to its state after boot, for exploration: the process's
     * files closed, every module unloaded (a framework stop each, forced where it must
     * be), what they left behind dropped, and the debugging state cleared.
     */
    public void reset() {
        kernel.devices().closeAll();
        unloadAll();
        kernel.devices().dropAll();
        kernel.kmemleak().clear();
        kernel.failFunction().inject("");
        kernel.failFunction().setProbability(0);
        kernel.failFunction().setTimes(1);
        kernel.failFunction().setInterval(1);
        kernel.taint().clear();
        kernel.loadHistory().clear();
    }

    /** Unloads every module, newest first: the kernel bundle is stopping. */
    public void unloadAll() {
        for (KModule m : modules()) {
            try {
                m.bundle.stop(Bundle.STOP_TRANSIENT);
            } catch (BundleException | IllegalStateException e) {
                kernel.printk().err("%s: unload at shutdown failed: %s", m.name, e.getMessage());
            }
        }
    }
}
