package org.kvmosgi.playground.loopi;

import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.SymbolExports;
import org.kvmosgi.kernel.api.modinfo.ExportSymbol;
import org.kvmosgi.kernel.api.modinfo.Module;

/** kmod's testsuite/module-playground/mod-loop-i.c. */
@Module(name = "mod_loop_i", license = "LGPL", description = "dummy test module", author = "Lucas De Marchi <lucas.demarchi@intel.com>", imports = {"printJ"})
@ExportSymbol("printI")
public class ModLoopI extends KernelModule {
    @Override
    public void exports(SymbolExports e) {
        e.put("printI", Runnable.class, () -> {});
    }

    @Override
    public int init(ModuleContext ctx) {
        ctx.symbol("printJ", Runnable.class).run();
        return 0;
    }
}
