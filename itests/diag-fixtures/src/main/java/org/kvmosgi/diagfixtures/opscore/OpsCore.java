package org.kvmosgi.diagfixtures.opscore;

import java.util.function.Consumer;
import java.util.function.ToIntFunction;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.OpsOwner;
import org.kvmosgi.kernel.api.SymbolExports;
import org.kvmosgi.kernel.api.modinfo.ExportSymbol;
import org.kvmosgi.kernel.api.modinfo.Module;

/**
 * A core with one plug-in slot, as kvm.ko has kvmppc_hv_ops: a plug-in registers its
 * name at its init and clears it at its exit. {@code opscore_ops} shows who is plugged in
 * (an {@link OpsOwner} naming the owner module, "" for none), which the kernel publishes in
 * /sys/kernel/debug/kvmosgi/ops_owners and the invariants check reads: the ops in use must
 * belong to a live module.
 */
@Module(name = "mod_opscore", license = "GPL", description = "a core with one ops slot for plug-in modules")
@ExportSymbol("opscore_register")
@ExportSymbol("opscore_unregister")
@ExportSymbol("opscore_ops")
public class OpsCore extends KernelModule {
    private volatile String owner = "";

    @Override
    public void exports(SymbolExports e) {
        e.put("opscore_register", ToIntFunction.class, (ToIntFunction<String>) this::register);
        e.put("opscore_unregister", Consumer.class, (Consumer<String>) this::unregister);
        e.put("opscore_ops", OpsOwner.class, (OpsOwner) () -> owner);
    }

    private synchronized int register(String module) {
        if (!owner.isEmpty()) {
            return Errno.EBUSY.neg();
        }
        owner = module;
        return 0;
    }

    private synchronized void unregister(String module) {
        if (owner.equals(module)) {
            owner = "";
        }
    }

    @Override
    public int init(ModuleContext ctx) {
        return 0;
    }

    @Override
    public void exit(ModuleContext ctx) {
        owner = "";
    }
}
