package org.kvmosgi.kernel;

import org.kvmosgi.kernel.api.host.Host;
import org.kvmosgi.kernel.fs.BundleModuleFiles;
import org.kvmosgi.kernel.fs.DebugFs;
import org.kvmosgi.kernel.fs.JarModuleFiles;
import org.kvmosgi.kernel.fs.ModuleFiles;
import org.kvmosgi.kernel.fs.ProcFs;
import org.kvmosgi.kernel.fs.SysFs;
import org.kvmosgi.kernel.fs.SyscallTable;
import org.kvmosgi.kernel.keys.Keyring;
import org.kvmosgi.kernel.module.Checkpoint;
import org.kvmosgi.kernel.module.Invariants;
import org.kvmosgi.kernel.module.LoadModule;
import org.kvmosgi.kernel.module.Loader;
import org.kvmosgi.kernel.module.ModuleContexts;
import org.kvmosgi.kernel.module.ModuleSigning;
import org.kvmosgi.kernel.module.SymbolResolver;
import org.kvmosgi.kernel.module.Unload;
import org.kvmosgi.kernel.symbol.SymbolTable;
import org.osgi.framework.BundleContext;

/**
 * The running kernel: {@link KernelCore}'s subsystems plus those that live in the OSGi
 * framework (the symbol table on the service registry, the loader that bundle starts run,
 * the system calls that install module files), wired by constructor in dependency order;
 * or, made {@link #withoutFramework}, the same subsystems with module files on plain class
 * loaders (the explorer's model kernel).
 * This is the construction entry point: the kernel bundle's activator builds one from the
 * boot parameters; nothing built here receives the kernel as a whole, so no subsystem
 * imports this class.
 */
public final class Kernel {
    private final KernelCore core;
    private final SymbolTable symbols;
    private final Loader loader;
    private final Invariants invariants;
    private final SyscallTable syscalls;
    private final ModuleFiles files;
    private final Checkpoint checkpoint;

    /** The kernel on the framework: module files are bundles, exports are services. */
    public Kernel(BundleContext context, KernelCore core) {
        this(core, new SymbolTable(context), context, loader -> new BundleModuleFiles(context, core.printk(), loader));
    }

    /**
     * The kernel without a framework, for exploration: the same subsystems and the same
     * loader, with each module file's classes on a plain class loader whose parent is
     * {@code headers} (kernel-api, kvm-api) and its exports straight in the symbol table.
     * A finit_module calls the loader where the framework's kernel starts a bundle.
     */
    public static Kernel withoutFramework(KernelCore core, ClassLoader headers) {
        return new Kernel(core, SymbolTable.withoutRegistry(), null,
                loader -> new JarModuleFiles(headers, core.printk(), loader));
    }

    private Kernel(KernelCore core, SymbolTable symbols, BundleContext context,
            java.util.function.Function<Loader, ModuleFiles> files) {
        this.core = core;
        KernelCore.Boot boot = core.boot();
        Host host = boot.host();
        this.symbols = symbols;
        SymbolResolver resolver = new SymbolResolver(core.modules(), core.refs(), symbols, core.printk(),
                boot.symbolWaitMillis());
        ModuleContexts contexts = new ModuleContexts(core.log(), host, core.failFunction(), core.devices(),
                core.refs(), core.requestModule());
        Unload unload = new Unload(core.modules(), core.refs(), resolver, contexts, core.printk(), core.taint(),
                core.devices(), core.kmemleak());
        // certs/system_keyring.c at boot: the compiled-in key that module signatures are checked against
        ModuleSigning signing = new ModuleSigning(Keyring.builtinTrustedKeys(core.printk()), boot.cmdline(),
                core.printk());
        LoadModule load = new LoadModule(core.modules(), core.refs(), resolver, unload, contexts, core.printk(),
                core.taint(), core.coreParams(), signing, core.failFunction(), core.blacklist());
        this.loader = new Loader(core.modules(), core.refs(), load, unload, core.loadHistory(), core.log().buffer(),
                host.profile());
        this.checkpoint = new Checkpoint(core.log().buffer(), core.loadHistory(), core.taint(), core.oops(),
                core.modules());
        this.invariants = new Invariants(loader, core.devices(), symbols, context, core.kmemleak());
        this.files = files.apply(loader);
        this.syscalls = new SyscallTable(boot.root(), boot.release(), core.printk(), core.log().buffer(), loader,
                core.devices(), core.requestModule(),
                new ProcFs(boot.release(), boot.cmdline(), host, core.taint(), loader),
                new SysFs(loader, core.coreParams(), signing),
                new DebugFs(loader, core.failFunction(), core.kmemleak(), core.loadHistory(), invariants,
                        symbols, this::reset, checkpoint),
                this.files);
    }

    public KernelCore core() {
        return core;
    }

    public SymbolTable symbols() {
        return symbols;
    }

    /** The ModuleLoader service the module bundles call. */
    public Loader loader() {
        return loader;
    }

    /** The Syscalls service user space calls. */
    public SyscallTable syscalls() {
        return syscalls;
    }

    public Invariants invariants() {
        return invariants;
    }

    /**
     * What finit_module hands a module file to: the framework's bundles, or without a
     * framework {@link JarModuleFiles}, which also stands in for the framework's raw start
     * and stop of a module file's bundle.
     */
    public ModuleFiles moduleFiles() {
        return files;
    }

    /**
     * Brings the kernel back to its state after boot, for exploration: the process's
     * files closed, every module unloaded (a framework stop each, forced where it must
     * be), what they left behind dropped, and the debugging state cleared.
     */
    public void reset() {
        core.devices().closeAll();
        loader.unloadAll();
        core.clearAfterUnload();
        checkpoint.drop();
    }
}
