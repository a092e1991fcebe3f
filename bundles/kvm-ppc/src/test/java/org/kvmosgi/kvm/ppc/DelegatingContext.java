package org.kvmosgi.kvm.ppc;

import java.util.function.IntSupplier;
import org.kvmosgi.kernel.api.KernelServices;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.ModuleParams;
import org.kvmosgi.kernel.api.Printk;
import org.kvmosgi.kernel.api.host.Host;

/** A ModuleContext that forwards everything; tests override what they watch. */
class DelegatingContext implements ModuleContext {
    private final ModuleContext d;

    DelegatingContext(ModuleContext d) {
        this.d = d;
    }

    public String name() { return d.name(); }
    public Printk log() { return d.log(); }
    public Printk log(String prefix) { return d.log(prefix); }
    public <T> T symbol(String name, Class<T> type) { return d.symbol(name, type); }
    public ModuleParams params() { return d.params(); }
    public Host host() { return d.host(); }
    public KernelServices kernel() { return d.kernel(); }
    public int step(String name, IntSupplier body) { return d.step(name, body); }
}
