package org.kvmosgi.diagfixtures.hvlike;

import java.util.function.Consumer;
import java.util.function.ToIntFunction;
import org.kvmosgi.kernel.api.Allocation;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.modinfo.Module;

/**
 * A plug-in with kvm-hv's init order since v5.18 (Fabiano Rosas's cleanup): every step's
 * error is checked, what was allocated is freed on failure, and the ops are set last.
 */
@Module(name = "mod_hvlike", license = "GPL", description = "plug-in with a careful init: ops set last, errors checked, memory freed",
        imports = {"opscore_register", "opscore_unregister"},
        steps = {"hw_check", "alloc_tables", "radix_init", "uvmem_init", "set_ops"})
public class HvLike extends KernelModule {
    private Allocation tables;

    @Override
    @SuppressWarnings("unchecked")
    public int init(ModuleContext ctx) {
        int r = ctx.step("hw_check", () -> 0);
        if (r < 0) {
            return r;
        }
        r = ctx.step("alloc_tables", () -> {
            tables = ctx.kernel().kmalloc("hpt tables", 16384);
            return tables == null ? Errno.ENOMEM.neg() : 0;
        });
        if (r < 0) {
            return r;
        }
        r = ctx.step("radix_init", () -> 0);
        if (r == 0) {
            r = ctx.step("uvmem_init", () -> 0);
        }
        if (r == 0) {
            ToIntFunction<String> register = ctx.symbol("opscore_register", ToIntFunction.class);
            r = ctx.step("set_ops", () -> register.applyAsInt(ctx.name()));
        }
        if (r < 0) {
            tables.free();
            tables = null;
            return r;
        }
        return 0;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void exit(ModuleContext ctx) {
        ctx.symbol("opscore_unregister", Consumer.class).accept(ctx.name());
        tables.free();
    }
}
