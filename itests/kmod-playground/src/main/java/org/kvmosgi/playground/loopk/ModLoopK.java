package org.kvmosgi.playground.loopk;

import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.SymbolExports;
import org.kvmosgi.kernel.api.modinfo.ExportSymbol;
import org.kvmosgi.kernel.api.modinfo.Module;

/** kmod's testsuite/module-playground/mod-loop-k.c. */
@Module(name = "mod_loop_k", license = "LGPL", description = "dummy test module", author = "Lucas De Marchi <lucas.demarchi@intel.com>", imports = {"printH"})
@ExportSymbol("printK")
public class ModLoopK extends KernelModule {
    @Override
    public void exports(SymbolExports e) {
        e.put("printK", Runnable.class, () -> {});
    }

    @Override
    public int init(ModuleContext ctx) {
        ctx.symbol("printH", Runnable.class).run();
        return 0;
    }
}
