package org.kvmosgi.playground.loopc;

import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.SymbolExports;
import org.kvmosgi.kernel.api.modinfo.ExportSymbol;
import org.kvmosgi.kernel.api.modinfo.Module;

/** kmod's testsuite/module-playground/mod-loop-c.c. */
@Module(name = "mod_loop_c", license = "LGPL", description = "dummy test module", author = "Lucas De Marchi <lucas.demarchi@intel.com>", imports = {"printA"})
@ExportSymbol("printC")
public class ModLoopC extends KernelModule {
    @Override
    public void exports(SymbolExports e) {
        e.put("printC", Runnable.class, () -> {});
    }

    @Override
    public int init(ModuleContext ctx) {
        ctx.symbol("printA", Runnable.class).run();
        return 0;
    }
}
