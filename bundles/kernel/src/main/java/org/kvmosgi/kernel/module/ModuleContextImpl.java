package org.kvmosgi.kernel.module;

import org.kvmosgi.kernel.api.Allocation;
import org.kvmosgi.kernel.api.KernelServices;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.ModuleParams;
import org.kvmosgi.kernel.api.Printk;
import org.kvmosgi.kernel.api.dev.FileOperations;
import org.kvmosgi.kernel.api.dev.MiscDevice;
import org.kvmosgi.kernel.api.host.Host;
import org.kvmosgi.kernel.inject.CurrentStep;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.ToIntFunction;
import org.kvmosgi.kernel.api.KThread;

/** What a module's init and exit see of the kernel; resources are accounted to the module. */
final class ModuleContextImpl implements ModuleContext, KernelServices {
    /** Where the model's kmalloc hands out addresses (the direct map, as on x86-64). */
    private static final AtomicLong NEXT_OBJECT = new AtomicLong(0xffff888100000000L);
    private final ModuleContexts kernel;
    private final KModule mod;
    private final Printk log;

    ModuleContextImpl(ModuleContexts kernel, KModule mod) {
        this.kernel = kernel;
        this.mod = mod;
        this.log = kernel.log.printk(mod.name + ": ");
    }

    @Override
    public String name() {
        return mod.name;
    }

    @Override
    public Printk log() {
        return log;
    }

    @Override
    public Printk log(String prefix) {
        return kernel.log.printk(prefix);
    }

    @Override
    public <T> T symbol(String name, Class<T> type) {
        Object v = mod.imports.get(name);
        if (v == null) {
            throw new IllegalArgumentException(mod.name + " does not import " + name
                    + ": declare it in @Module(imports = ...)");
        }
        return type.cast(v);
    }

    @Override
    public ModuleParams params() {
        return mod.params;
    }

    @Override
    public Host host() {
        return kernel.host;
    }

    @Override
    public KernelServices kernel() {
        return this;
    }

    @Override
    public int step(String name, IntSupplier body) {
        String point = mod.name + ":" + name;
        String outer = CurrentStep.enter(point);
        try {
            int injected = kernel.failFunction.check(point);
            int r = injected != 0 ? injected : body.getAsInt();
            if (r < 0) {
                Loader.noteFailedStep(point);
            }
            return r;
        } finally {
            CurrentStep.restore(outer);
        }
    }

    @Override
    public Allocation kmalloc(String what, long size) {
        long address = NEXT_OBJECT.getAndAdd((size + 63) / 64 * 64);
        KmallocObject a = new KmallocObject(mod, what, size, address,
                () -> kernel.log.printk("").err("BUG: %s: double kfree of %s", mod.name, what));
        mod.allocations.put(a, CurrentStep.get());
        return a;
    }

    @Override
    public KThread kthreadRun(String name, ToIntFunction<KThread> threadfn) {
        KThreads tasks = kernel.kthreads;
        if (!tasks.reserve()) {
            return null; // copy_process: -EAGAIN at threads-max
        }
        KThreadImpl t = new KThreadImpl(mod, name, CurrentStep.get(), threadfn, kernel.log.printk(""), tasks::release);
        return t.start() ? t : null;
    }

    @Override
    public MiscDevice miscRegister(String name, String owner, FileOperations fops) {
        return kernel.devices.miscRegister(mod.name, name, owner, fops);
    }

    @Override
    public void miscDeregister(MiscDevice device) {
        kernel.devices.miscDeregister(device);
    }

    @Override
    public boolean tryModuleGet(String module) {
        return tryModuleGetInstance(module) != null;
    }

    @Override
    public KModule tryModuleGetInstance(String module) {
        KModule owner = kernel.refs.tryModuleGet(module.replace('-', '_'));
        if (owner != null) {
            mod.refsTaken.merge(owner, 1, Integer::sum);
        }
        return owner;
    }

    @Override
    public void oopsInFreedText(org.kvmosgi.kernel.api.ModuleInstance freed, java.util.List<String> callers) {
        kernel.refs.oopsInFreedText((KModule) freed, callers);
    }

    /**
     * module_put by name: the put goes to the instance of that name this module's code
     * holds a reference on. References on an instance that was freed since were voided
     * with it (see {@link Unload}); a put of one of those reaches nothing (Linux would
     * write into freed memory), never a later load of the same name.
     */
    @Override
    public void modulePut(String module) {
        String name = module.replace('-', '_');
        KModule owner = null;
        for (KModule m : mod.refsTaken.keySet()) {
            if (m.name.equals(name)) {
                owner = m;
            }
        }
        if (owner != null) {
            mod.refsTaken.computeIfPresent(owner, (k, n) -> n > 1 ? n - 1 : null);
            kernel.refs.modulePut(owner);
        } else if (mod.voidedRefs.containsKey(name)) {
            mod.voidedRefs.computeIfPresent(name, (k, n) -> n > 1 ? n - 1 : null);
        } else {
            log.warn("WARNING: module_put: %s puts a reference on %s it does not hold", mod.name, name);
        }
    }

    @Override
    public int requestModule(String name) {
        return kernel.requestModule.request(mod.name, name);
    }
}
