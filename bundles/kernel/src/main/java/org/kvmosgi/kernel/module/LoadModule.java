package org.kvmosgi.kernel.module;

import static org.kvmosgi.kernel.api.Errno.ENOEXEC;
import static org.kvmosgi.kernel.api.Errno.EPERM;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.Printk;
import org.kvmosgi.kernel.api.SymbolExports;
import org.kvmosgi.kernel.api.modinfo.ModuleInfo.Export;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kernel.inject.CurrentStep;
import org.kvmosgi.kernel.inject.FailFunction;
import org.kvmosgi.kernel.module.Loader.LoadRequest;
import org.kvmosgi.kernel.module.SymbolResolver.Exported;
import org.kvmosgi.kernel.param.CoreParams;
import org.kvmosgi.kernel.param.ParamArgs;
import org.kvmosgi.kernel.param.ParamSpec;
import org.kvmosgi.kernel.param.ParamValues;

/**
 * load_module and do_init_module (kernel/module/main.c): the load steps in the kernel's
 * order, with its errnos and messages. Every step that succeeds pushes its undo; a failing
 * step runs the undos in reverse, so nothing of a failed module remains.
 */
public final class LoadModule {
    /** Where a load is: the step it is in, for the load history. */
    static final class Attempt {
        String step = "loader:load_info";
        /** The module's name once its .modinfo is read; the bundle's symbolic name before. */
        String name;
        KModule module;
        /** The first module step that failed while this load ran, whichever module's code ran it. */
        String failedStep;
    }

    /** The size initcall_debug prints for a module's init function (see {@link #initcallSymbol}). */
    static final long INIT_TEXT_SIZE = 0x1000;

    /** The load this thread is doing; a nested load (request_module from init) has its own. */
    private static final ThreadLocal<Attempt> CURRENT = new ThreadLocal<>();

    private final ModuleList list;
    private final References refs;
    private final SymbolResolver symbols;
    private final Unload unload;
    private final ModuleContexts contexts;
    private final Printk printk;
    private final Taint taint;
    /** initcall_debug. */
    private final CoreParams coreParams;
    private final ModuleSigning signing;
    private final FailFunction failFunction;
    /** module_blacklist= of the command line. */
    private final List<String> blacklist;
    private final AtomicLong nextAddress = new AtomicLong(0xffffffffc0000000L);

    public LoadModule(ModuleList list, References refs, SymbolResolver symbols, Unload unload,
            ModuleContexts contexts, Printk printk, Taint taint, CoreParams coreParams, ModuleSigning signing,
            FailFunction failFunction, List<String> blacklist) {
        this.list = list;
        this.refs = refs;
        this.symbols = symbols;
        this.unload = unload;
        this.contexts = contexts;
        this.printk = printk;
        this.taint = taint;
        this.coreParams = coreParams;
        this.signing = signing;
        this.failFunction = failFunction;
        this.blacklist = blacklist;
    }

    /** Loads the module of {@code image} as this thread's attempt: 0 or -errno. */
    int load(ModuleImage image, KernelModule code, LoadRequest req, Attempt attempt) {
        Attempt outer = CURRENT.get();
        CURRENT.set(attempt);
        try {
            return req.builtin() ? initBuiltin(image, code, req, attempt) : loadModule(image, code, req, attempt);
        } finally {
            CURRENT.set(outer);
        }
    }

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

    private int loadModule(ModuleImage image, KernelModule code, LoadRequest req, Attempt attempt) {
        Printk pr = printk;
        Deque<Runnable> undo = new ArrayDeque<>();

        // 1. module_sig_check: the file's signature against the kernel's keyring, before anything of it is read
        attempt.step = "loader:module_sig_check";
        ModuleSigning.Check sig = signing.check(image.file(), req.file(), req.flags());
        if (sig.err() < 0) {
            return sig.err();
        }

        // 2. format checks: a well-formed .modinfo and the exports it declares
        attempt.step = "loader:load_info";
        LoadInfo li = loadInfo(image, code, attempt);
        if (li == null) {
            return ENOEXEC.neg();
        }
        ModInfo info = li.info();
        String name = info.name();
        Map<String, Exported> exported = li.exported();
        ParamValues params = li.params();

        // 3. blacklist, then a first check that the name is free
        attempt.step = "loader:early_mod_check";
        int injected = inject("early_mod_check");
        if (injected < 0) {
            return injected;
        }
        if (blacklist.contains(name)) {
            pr.err("Module %s is blacklisted", name);
            return EPERM.neg();
        }
        int exists = list.locked(() -> list.patientCheckExists(name));
        if (exists < 0) {
            return exists;
        }

        // 4. allocate
        attempt.step = "loader:layout_and_allocate";
        injected = inject("layout_and_allocate");
        if (injected < 0) {
            return injected;
        }
        long size = image.coreSize();
        KModule mod = new KModule(name, image, info, code, size, nextAddress.getAndAdd(size));
        mod.params = params;

        // 5. add_unformed_module: the name is checked again under the mutex
        attempt.step = "loader:add_unformed_module";
        injected = inject("add_unformed_module");
        if (injected < 0) {
            return injected;
        }
        int added = list.locked(() -> {
            int r = list.patientCheckExists(name);
            if (r == 0) {
                list.add(mod);
            }
            return r;
        });
        if (added < 0) {
            return added;
        }
        augmentKernelTaints(mod, req, sig.sigOk());
        undo.push(() -> {
            mod.freed = true; // a file its init opened and left open points at freed memory
            list.remove(mod);
        });

        // 6. the refcount is set up with the module (Refcount starts at its base)
        // 7. simplify_symbols: resolve every import, waiting for COMING owners
        undo.push(() -> refs.releaseUses(mod));
        attempt.step = "loader:simplify_symbols";
        int r = inject("simplify_symbols");
        if (r == 0) {
            r = symbols.resolveImports(mod);
        }
        if (r < 0) {
            unwind(undo);
            return r;
        }

        // 8. relocation has no counterpart in the JVM
        // 9. complete_formation: duplicate exports refused, exports registered, COMING
        undo.push(() -> symbols.unregisterExports(mod));
        attempt.step = "loader:complete_formation";
        r = inject("complete_formation");
        if (r == 0) {
            r = symbols.completeFormation(mod, exported);
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
        if (r == 0 && builtinHasSysfs(list.builtin(name))) {
            // mod_sysfs_init: a built-in module's /sys/module/NAME is already there
            pr.err("%s: module is already loaded", name);
            r = Errno.EINVAL.neg();
        }
        if (r < 0) {
            goingAndUnwind(mod, undo);
            return r;
        }
        mod.sysfs = true;
        undo.push(() -> mod.sysfs = false);

        // 13. do_init_module
        ModuleContextImpl ctx = contexts.of(mod);
        attempt.step = "loader:do_init_module";
        attempt.module = mod;
        int ret = inject("do_init_module");
        if (ret == 0) {
            String initStep = name + ":init";
            attempt.step = initStep;
            String outer = CurrentStep.enter(initStep);
            boolean debug = coreParams.initcallDebug();
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
        list.setState(mod, ModuleState.LIVE);
        return 0;
    }

    /** What load_info and the format checks found: the .modinfo, the export objects, the parameters. */
    private record LoadInfo(ModInfo info, Map<String, Exported> exported, ParamValues params) {}

    /** The .modinfo, its exports and parameters checked; null (and the kernel's message) when malformed. */
    private LoadInfo loadInfo(ModuleImage image, KernelModule code, Attempt attempt) {
        Printk pr = printk;
        ModInfo info;
        try {
            info = image.modinfo();
        } catch (ModInfo.FormatError e) {
            pr.err("%s: invalid module format: %s", image.name(), e.getMessage());
            return null;
        }
        attempt.name = info.name();
        Map<String, Exported> exported = collectExports(code, info);
        if (exported == null) {
            return null;
        }
        try {
            return new LoadInfo(info, exported, new ParamValues(info.paramDefaults()));
        } catch (IllegalArgumentException e) {
            pr.err("%s: invalid module format: %s", info.name(), e.getMessage());
            return null;
        }
    }

    /**
     * A module built into the image, at boot: its exports are vmlinux's and stay whatever
     * its init returns, the command line's {@code NAME.param=} set its parameters
     * (parse_args "Booting kernel"), its init runs as an initcall, and a failing init is
     * only reported under {@code initcall_debug}, as do_one_initcall does: the boot goes on.
     */
    private int initBuiltin(ModuleImage image, KernelModule code, LoadRequest req, Attempt attempt) {
        Printk pr = printk;
        LoadInfo li = loadInfo(image, code, attempt);
        if (li == null) {
            return ENOEXEC.neg();
        }
        ModInfo info = li.info();
        String name = info.name();
        KModule mod = new KModule(name, image, info, code, image.coreSize(), 0);
        mod.params = li.params();
        int r = symbols.registerBuiltin(mod, li.exported());
        if (r < 0) {
            return r;
        }
        for (ParamArgs.Arg a : ParamArgs.split(req.params())) {
            ParamSpec spec = mod.params.find(a.name());
            if (spec == null) {
                continue; // unknown_bootoption: handed to init, not an error here
            }
            int set = mod.params.set(spec, a.value());
            String val = a.value() == null ? "" : a.value();
            if (set == Errno.ENOSPC.neg()) {
                pr.err("Booting kernel: `%s' too large for parameter `%s'", val, name + "." + a.name());
            } else if (set < 0) {
                pr.err("Booting kernel: `%s' invalid for parameter `%s'", val, name + "." + a.name());
            }
        }
        mod.sysfs = builtinHasSysfs(mod);
        // the image was linked: every import is the image's own (a missing one fails modpost, not the boot)
        attempt.step = "loader:simplify_symbols";
        r = symbols.resolveImports(mod);
        if (r < 0) {
            return r;
        }
        boolean debug = coreParams.initcallDebug();
        // %pS of built-in code has no " [module]": it is the image's
        String fn = info.initcall() + "+0x0/0x" + Long.toHexString(INIT_TEXT_SIZE);
        if (debug) {
            pr.debug("calling  %s @ %d", fn, Thread.currentThread().getId());
        }
        long start = System.nanoTime();
        attempt.step = name + ":init";
        attempt.module = mod;
        int ret;
        String outer = CurrentStep.enter(name + ":init");
        try {
            ret = code.init(contexts.of(mod));
        } catch (RuntimeException | LinkageError e) {
            pr.err("BUG: %s: init threw %s", name, e);
            ret = Errno.EFAULT.neg();
        } finally {
            CurrentStep.restore(outer);
        }
        if (debug) {
            pr.debug("initcall %s returned %d after %d usecs", fn, ret, (System.nanoTime() - start) / 1000);
        }
        return ret;
    }

    /** param_sysfs_builtin: /sys/module/NAME exists for a parameter with perm != 0, or a version. */
    private static boolean builtinHasSysfs(KModule builtin) {
        if (builtin == null) {
            return false;
        }
        return !builtin.info.version().isEmpty() || builtin.params.specs().stream().anyMatch(ParamSpec::visible);
    }

    /**
     * {@code %pS} of the module's init function: {@code vmx_init+0x0/0x1000 [kvm_intel]}.
     * The model has no init text to measure, so the symbol's size is one page
     * ({@link #INIT_TEXT_SIZE}), what a small module's init shows in Linux's logs.
     */
    static String initcallSymbol(KModule mod) {
        return mod.info.initcall() + "+0x0/0x" + Long.toHexString(INIT_TEXT_SIZE) + " [" + mod.name + "]";
    }

    /** module_augment_kernel_taints: the license check, the signature, and forced loads. Taints stay after a failure. */
    private void augmentKernelTaints(KModule mod, LoadRequest req, boolean sigOk) {
        if (!mod.info.gplCompatible()) {
            String license = mod.info.license().isEmpty() ? "unspecified" : mod.info.license();
            if (!taint.test(Taint.PROPRIETARY_MODULE)) {
                printk.warn("%s: module license '%s' taints kernel.", mod.name, license);
            }
            taint.add(Taint.PROPRIETARY_MODULE);
            mod.taints.add(Taint.letter(Taint.PROPRIETARY_MODULE));
        }
        if (!sigOk) {
            // pr_notice_once: the first unsigned module of a boot says so; E is only ever set here
            if (taint.add(Taint.UNSIGNED_MODULE)) {
                printk.notice("%s: module verification failed: signature and/or required key missing"
                        + " - tainting kernel", mod.name);
            }
            mod.taints.add(Taint.letter(Taint.UNSIGNED_MODULE));
        }
        if ((req.flags() & (Syscalls.MODULE_INIT_IGNORE_MODVERSIONS | Syscalls.MODULE_INIT_IGNORE_VERMAGIC)) != 0) {
            taint.add(Taint.FORCED_MODULE);
            mod.taints.add(Taint.letter(Taint.FORCED_MODULE));
        }
    }

    /** An armed loader injection point: its errno, else 0 (its name is only made when something is armed). */
    private int inject(String step) {
        return failFunction.anyArmed() ? failFunction.check("loader:" + step) : 0;
    }

    /** do_init_module's fail path: GOING first, then everything undone in reverse. */
    private void goingAndUnwind(KModule mod, Deque<Runnable> undo) {
        list.setState(mod, ModuleState.GOING);
        unwind(undo);
        unload.reportLeaks(mod);
    }

    private static void unwind(Deque<Runnable> undo) {
        while (!undo.isEmpty()) {
            undo.pop().run();
        }
    }

    /** The objects behind the declared exports, or null (and a message) when they do not match. */
    private Map<String, Exported> collectExports(KernelModule code, ModInfo info) {
        // sized for the declared exports: no rehash while the module puts them
        Map<String, Exported> got = new LinkedHashMap<>(info.exports().size() * 4 / 3 + 1);
        StringBuilder problem = new StringBuilder();
        code.exports(new SymbolExports() {
            @Override
            public <T> void put(String symbol, Class<T> type, T value) {
                // the last bad definition is the one reported, then the first missing or undeclared one
                if (value == null || !type.isInstance(value)) {
                    problem.setLength(0);
                    problem.append("symbol " + symbol + " has no definition of type " + type.getName());
                } else if (got.put(symbol, new Exported(type, value)) != null) {
                    problem.setLength(0);
                    problem.append("symbol " + symbol + " defined twice");
                }
            }
        });
        for (Export d : info.exports()) {
            if (!got.containsKey(d.symbol())) {
                firstProblem(problem, "exported symbol " + d.symbol() + " has no definition");
            }
        }
        // every declared name defined and as many definitions as names: none is undeclared
        if (problem.length() == 0 && got.size() != info.exportSymbols().size()) {
            // (with a problem found already, an undeclared definition would not be the one reported)
            java.util.Set<String> declared = info.exportSymbols();
            for (String s : got.keySet()) {
                if (!declared.contains(s)) {
                    firstProblem(problem, "symbol " + s + " is defined but not declared with @ExportSymbol");
                    break;
                }
            }
        }
        if (problem.length() > 0) {
            printk.err("%s: invalid module format: %s", info.name(), problem);
            return null;
        }
        return got;
    }

    private static void firstProblem(StringBuilder problem, String what) {
        if (problem.length() == 0) {
            problem.append(what);
        }
    }

    /** parse_args for a module: unknown names warned and ignored, bad values fail after all are tried. */
    private int parseArgs(KModule mod, String args) {
        Printk pr = printk;
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
}
