package org.kvmosgi.playground.loopg;

import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.SymbolExports;
import org.kvmosgi.kernel.api.modinfo.ExportSymbol;
import org.kvmosgi.kernel.api.modinfo.Module;

/** kmod's testsuite/module-playground/mod-loop-g.c. */
@Module(name = "mod_loop_g", license = "LGPL", description = "dummy test module", author = "Lucas De Marchi <lucas.demarchi@intel.com>")
@ExportSymbol("printG")
public class ModLoopG extends KernelModule {
    @Override
    public void exports(SymbolExports e) {
        e.put("printG", Runnable.class, () -> {});
    }

    @Override
    public int init(ModuleContext ctx) {
        return 0;
    }
}
