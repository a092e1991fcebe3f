package org.kvmosgi.playground.loopd;

import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.SymbolExports;
import org.kvmosgi.kernel.api.modinfo.ExportSymbol;
import org.kvmosgi.kernel.api.modinfo.Module;

/** kmod's testsuite/module-playground/mod-loop-d.c: d <-> e is a cycle of two. */
@Module(name = "mod_loop_d", license = "LGPL", description = "dummy test module", author = "Lucas De Marchi <lucas.demarchi@intel.com>", imports = {"printE"})
@ExportSymbol("printD")
public class ModLoopD extends KernelModule {
    @Override
    public void exports(SymbolExports e) {
        e.put("printD", Runnable.class, () -> {});
    }

    @Override
    public int init(ModuleContext ctx) {
        ctx.symbol("printE", Runnable.class).run();
        return 0;
    }
}
