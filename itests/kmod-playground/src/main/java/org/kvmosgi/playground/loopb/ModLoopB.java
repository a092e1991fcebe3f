package org.kvmosgi.playground.loopb;

import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.SymbolExports;
import org.kvmosgi.kernel.api.modinfo.ExportSymbol;
import org.kvmosgi.kernel.api.modinfo.Module;

/** kmod's testsuite/module-playground/mod-loop-b.c. */
@Module(name = "mod_loop_b", license = "LGPL", description = "dummy test module", author = "Lucas De Marchi <lucas.demarchi@intel.com>", imports = {"printC", "printF", "printG"})
@ExportSymbol("printB")
public class ModLoopB extends KernelModule {
    @Override
    public void exports(SymbolExports e) {
        e.put("printB", Runnable.class, () -> {});
    }

    @Override
    public int init(ModuleContext ctx) {
        ctx.symbol("printC", Runnable.class).run();
        ctx.symbol("printF", Runnable.class).run();
        ctx.symbol("printG", Runnable.class).run();
        return 0;
    }
}
