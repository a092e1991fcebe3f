package org.kvmosgi.diagfixtures.hvbuggy;

import java.util.function.Consumer;
import java.util.function.ToIntFunction;
import org.kvmosgi.kernel.api.Allocation;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.modinfo.Module;

/**
 * A plug-in with the three mistakes kvm-hv's init had before v5.18, planted on purpose
 * for the explorer to find: (1) the ops are set first, so a later failure leaves them
 * pointing at a module that is gone; (2) radix_init's error is ignored; (3) the tables
 * allocated before a failure are not freed.
 */
@Module(name = "mod_hvbuggy", license = "GPL", description = "plug-in with the pre-2022 kvm-hv init mistakes (for the explorer)",
        imports = {"opscore_register", "opscore_unregister"},
        steps = {"hw_check", "set_ops", "alloc_tables", "radix_init", "uvmem_init"})
public class HvBuggy extends KernelModule {
    private Allocation tables;

    @Override
    @SuppressWarnings("unchecked")
    public int init(ModuleContext ctx) {
        int r = ctx.step("hw_check", () -> 0);
        if (r < 0) {
            return r;
        }
        ToIntFunction<String> register = ctx.symbol("opscore_register", ToIntFunction.class);
        r = ctx.step("set_ops", () -> register.applyAsInt(ctx.name()));
        if (r < 0) {
            return r;
        }
        r = ctx.step("alloc_tables", () -> {
            tables = ctx.kernel().kmalloc("hpt tables", 16384);
            return tables == null ? Errno.ENOMEM.neg() : 0;
        });
        if (r < 0) {
            return r; // mistake 1: the ops stay set
        }
        ctx.step("radix_init", () -> 0); // mistake 2: the error is not checked
        r = ctx.step("uvmem_init", () -> 0);
        if (r < 0) {
            return r; // mistakes 1 and 3: ops set, tables not freed
        }
        return 0;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void exit(ModuleContext ctx) {
        ctx.symbol("opscore_unregister", Consumer.class).accept(ctx.name());
        if (tables != null) {
            tables.free();
        }
    }
}
