package org.kvmosgi.playground.loope;

import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.SymbolExports;
import org.kvmosgi.kernel.api.modinfo.ExportSymbol;
import org.kvmosgi.kernel.api.modinfo.Module;

/** kmod's testsuite/module-playground/mod-loop-e.c. */
@Module(name = "mod_loop_e", license = "LGPL", description = "dummy test module", author = "Lucas De Marchi <lucas.demarchi@intel.com>", imports = {"printD"})
@ExportSymbol("printE")
public class ModLoopE extends KernelModule {
    @Override
    public void exports(SymbolExports e) {
        e.put("printE", Runnable.class, () -> {});
    }

    @Override
    public int init(ModuleContext ctx) {
        ctx.symbol("printD", Runnable.class).run();
        return 0;
    }
}
