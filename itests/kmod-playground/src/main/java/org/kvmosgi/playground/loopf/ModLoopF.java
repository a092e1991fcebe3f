package org.kvmosgi.playground.loopf;

import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.SymbolExports;
import org.kvmosgi.kernel.api.modinfo.ExportSymbol;
import org.kvmosgi.kernel.api.modinfo.Module;

/** kmod's testsuite/module-playground/mod-loop-f.c. */
@Module(name = "mod_loop_f", license = "LGPL", description = "dummy test module", author = "Lucas De Marchi <lucas.demarchi@intel.com>")
@ExportSymbol("printF")
public class ModLoopF extends KernelModule {
    @Override
    public void exports(SymbolExports e) {
        e.put("printF", Runnable.class, () -> {});
    }

    @Override
    public int init(ModuleContext ctx) {
        return 0;
    }
}
