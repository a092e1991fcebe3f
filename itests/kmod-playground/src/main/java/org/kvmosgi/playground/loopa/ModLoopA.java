package org.kvmosgi.playground.loopa;

import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.SymbolExports;
import org.kvmosgi.kernel.api.modinfo.ExportSymbol;
import org.kvmosgi.kernel.api.modinfo.Module;

/** kmod's testsuite/module-playground/mod-loop-a.c: a -> b -> c -> a is a dependency cycle. */
@Module(name = "mod_loop_a", license = "LGPL", description = "dummy test module", author = "Lucas De Marchi <lucas.demarchi@intel.com>", imports = {"printB", "printF", "printG"})
@ExportSymbol("printA")
public class ModLoopA extends KernelModule {
    @Override
    public void exports(SymbolExports e) {
        e.put("printA", Runnable.class, () -> {});
    }

    @Override
    public int init(ModuleContext ctx) {
        ctx.symbol("printB", Runnable.class).run();
        ctx.symbol("printF", Runnable.class).run();
        ctx.symbol("printG", Runnable.class).run();
        return 0;
    }
}
