package org.kvmosgi.playground.loopj;

import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.SymbolExports;
import org.kvmosgi.kernel.api.modinfo.ExportSymbol;
import org.kvmosgi.kernel.api.modinfo.Module;

/** kmod's testsuite/module-playground/mod-loop-j.c. */
@Module(name = "mod_loop_j", license = "LGPL", description = "dummy test module", author = "Lucas De Marchi <lucas.demarchi@intel.com>", imports = {"printH", "printK"})
@ExportSymbol("printJ")
public class ModLoopJ extends KernelModule {
    @Override
    public void exports(SymbolExports e) {
        e.put("printJ", Runnable.class, () -> {});
    }

    @Override
    public int init(ModuleContext ctx) {
        ctx.symbol("printH", Runnable.class).run();
        ctx.symbol("printK", Runnable.class).run();
        return 0;
    }
}
