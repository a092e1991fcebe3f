package org.kvmosgi.kernel.module;

import org.kvmosgi.kernel.Kernel;
import org.kvmosgi.kernel.api.Allocation;
import org.kvmosgi.kernel.api.KernelServices;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.ModuleParams;
import org.kvmosgi.kernel.api.Printk;
import org.kvmosgi.kernel.api.dev.FileOperations;
import org.kvmosgi.kernel.api.dev.MiscDevice;
import org.kvmosgi.kernel.api.host.Host;

/** What a module's init and exit see of the kernel; resources are accounted to the module. */
final class ModuleContextImpl implements ModuleContext, KernelServices {
    private final Kernel kernel;
    private final KModule mod;
    private final Printk log;

    ModuleContextImpl(Kernel kernel, KModule mod) {
        this.kernel = kernel;
        this.mod = mod;
        this.log = kernel.log().printk(mod.name + ": ");
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
        return kernel.log().printk(prefix);
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
        return kernel.host();
    }

    @Override
    public KernelServices kernel() {
        return this;
    }

    @Override
    public Allocation kmalloc(String what, long size) {
        Allocation a = new Allocation() {
            private boolean freed;

            @Override
            public long size() {
                return size;
            }

            @Override
            public String what() {
                return what;
            }

            @Override
            public synchronized void free() {
                if (freed) {
                    kernel.printk().err("BUG: %s: double kfree of %s", mod.name, what);
                    return;
                }
                freed = true;
                mod.allocations.remove(this);
            }
        };
        mod.allocations.add(a);
        return a;
    }

    @Override
    public MiscDevice miscRegister(String name, String owner, FileOperations fops) {
        return kernel.devices().miscRegister(mod.name, name, owner, fops);
    }

    @Override
    public void miscDeregister(MiscDevice device) {
        kernel.devices().miscDeregister(device);
    }

    @Override
    public boolean tryModuleGet(String module) {
        return kernel.loader().tryModuleGet(module);
    }

    @Override
    public void modulePut(String module) {
        kernel.loader().modulePut(module);
    }

    @Override
    public int requestModule(String name) {
        return kernel.requestModule().request(name);
    }
}
