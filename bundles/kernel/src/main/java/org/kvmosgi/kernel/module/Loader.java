package org.kvmosgi.kernel.module;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleLoadError;
import org.kvmosgi.kernel.api.ModuleLoader;
import org.kvmosgi.kernel.printk.LogBuffer;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/**
 * The module loader as the module bundles and the system calls see it: the load and
 * unload a module bundle's start and stop run ({@link KernelModule}), so a raw framework
 * start or stop takes the same path as insmod and rmmod. The work is done along the
 * kernel's own seams: {@link ModuleList} (the list, module_mutex, module_wq),
 * {@link LoadModule} (load_module's steps and their unwind), {@link SymbolResolver}
 * (imports and exports), {@link References} (uses and refcounts) and {@link Unload}
 * (delete_module, free_module, kmemleak's report).
 */
public final class Loader implements ModuleLoader {

    /**
     * The loader's own fault injection points, {@code loader:NAME}, named after the
     * kernel functions that do each step.
     */
    public static final List<String> INJECTION_POINTS = List.of("early_mod_check", "layout_and_allocate",
            "add_unformed_module", "simplify_symbols", "complete_formation", "parse_args", "mod_sysfs_setup",
            "do_init_module");

    /**
     * What finit_module passed for a start it asked for (a raw start has none), or, with
     * {@code builtin}, the boot's initcall of a module built into the kernel image.
     * {@code file} is the version of the module file finit_module found (its one stat of
     * the file); null when the load did not come from finit_module.
     */
    public record LoadRequest(String params, int flags, boolean builtin, FileVersion file) {
        public LoadRequest(String params, int flags) {
            this(params, flags, false, null);
        }

        public LoadRequest(String params, int flags, boolean builtin) {
            this(params, flags, builtin, null);
        }

        /** finit_module's load of the file it found at {@code file}'s version. */
        public LoadRequest(String params, int flags, FileVersion file) {
            this(params, flags, false, file);
        }
    }

    /** The owner the symbol table records for the kernel image's own exports (a NULL owner in Linux). */
    public static final String VMLINUX = "vmlinux";

    private final ModuleList list;
    private final References refs;
    private final LoadModule loadModule;
    private final Unload unload;
    private final LoadHistory history;
    /** The log, whose lines since a load began go into its history entry. */
    private final LogBuffer log;
    /** The host profile's name, recorded with each load. */
    private final String host;
    private final Map<Bundle, LoadRequest> requests = new ConcurrentHashMap<>();

    public Loader(ModuleList list, References refs, LoadModule loadModule, Unload unload, LoadHistory history,
            LogBuffer log, String host) {
        this.list = list;
        this.refs = refs;
        this.loadModule = loadModule;
        this.unload = unload;
        this.history = history;
        this.log = log;
        this.host = host;
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
        return list.modules();
    }

    /** find_module: a formed module of that name ('-' and '_' alike), or null. */
    public KModule find(String name) {
        return list.find(name);
    }

    /** The module a bundle holds, whatever its state, or null. */
    public KModule byBundle(Bundle bundle) {
        return list.byImage(new BundleImage(bundle));
    }

    /** The module an image holds, whatever its state, or null. */
    public KModule byImage(ModuleImage image) {
        return list.byImage(image);
    }

    /** A module built into the image ('-' and '_' alike), or null. */
    public KModule builtin(String name) {
        return list.builtin(name);
    }

    /** The built-in modules, in initcall order. */
    public List<KModule> builtins() {
        return list.builtins();
    }

    /** Runs {@code r} under module_mutex, for readers that need a consistent picture. */
    public <T> T locked(Supplier<T> r) {
        return list.locked(r);
    }

    // ---------------------------------------------------------------- load

    /** A module bundle's start: the load with what finit_module passed for it (nothing for a raw start). */
    @Override
    public void load(BundleContext context, KernelModule code) throws BundleException {
        Bundle bundle = context.getBundle();
        LoadRequest req = requests.remove(bundle);
        if (req == null) {
            req = new LoadRequest("", 0);
        }
        LoadModule.Attempt attempt = new LoadModule.Attempt();
        int ret = load(new BundleImage(bundle), code, req, attempt);
        if (ret < 0 && !req.builtin()) {
            throw new BundleException(attempt.name + ": " + Errno.strerror(ret), BundleException.ACTIVATOR_ERROR,
                    new ModuleLoadError(attempt.name, ret));
        }
    }

    /**
     * Loads the module {@code code} of {@code image}: 0 or -errno, recorded in the load
     * history. A bundle's start comes here through {@link #load(BundleContext, KernelModule)},
     * a framework-free kernel's finit_module directly.
     */
    public int load(ModuleImage image, KernelModule code, LoadRequest req) {
        return load(image, code, req, new LoadModule.Attempt());
    }

    private int load(ModuleImage image, KernelModule code, LoadRequest req, LoadModule.Attempt attempt) {
        attempt.name = image.name();
        long firstSeq = log.nextSeq();
        int ret = loadModule.load(image, code, req, attempt);
        if (req.builtin()) {
            // do_one_initcall: a failing built-in init does not fail the boot (see LoadModule.initBuiltin)
            history.record(attempt.name, ret, ret < 0 ? attempt.step : null,
                    log.since(firstSeq), host);
            return ret;
        }
        String step = attempt.failedStep != null ? attempt.failedStep : attempt.step;
        history.record(attempt.name, ret, ret < 0 ? step : null,
                log.since(firstSeq), host);
        return ret;
    }

    /** A module step failed on this thread: see {@link LoadModule#noteFailedStep}. */
    static void noteFailedStep(String point) {
        LoadModule.noteFailedStep(point);
    }

    // ---------------------------------------------------------------- unload

    /**
     * delete_module's checks, in the kernel's order, and the switch to GOING. The
     * caller then stops the bundle, whose stop runs exit and frees the module.
     */
    public int prepareDelete(String name, int flags) {
        return unload.prepareDelete(name, flags);
    }

    @Override
    public void unload(BundleContext context, KernelModule code) throws BundleException {
        unload(new BundleImage(context.getBundle()));
    }

    /** The module of {@code image} is going: exit and free_module (a bundle's stop, or a plain module's unload). */
    public void unload(ModuleImage image) {
        KModule mod = byImage(image);
        if (mod != null && list.builtin(mod.name) == mod) {
            // only the kernel's own shutdown gets here: a built-in module's exit never runs
            unload.forgetBuiltin(mod);
        } else if (mod != null) {
            unload.unload(mod);
        }
    }

    /** Unloads every module, newest first: the kernel bundle is stopping. */
    public void unloadAll() {
        unload.unloadAll();
    }
}
