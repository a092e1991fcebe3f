package org.kvmosgi.playground.looph;

import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.SymbolExports;
import org.kvmosgi.kernel.api.modinfo.ExportSymbol;
import org.kvmosgi.kernel.api.modinfo.Module;

/** kmod's testsuite/module-playground/mod-loop-h.c: h -> i -> j -> h and j -> k -> h: two cycles through h. */
@Module(name = "mod_loop_h", license = "LGPL", description = "dummy test module", author = "Lucas De Marchi <lucas.demarchi@intel.com>", imports = {"printI"})
@ExportSymbol("printH")
public class ModLoopH extends KernelModule {
    @Override
    public void exports(SymbolExports e) {
        e.put("printH", Runnable.class, () -> {});
    }

    @Override
    public int init(ModuleContext ctx) {
        ctx.symbol("printI", Runnable.class).run();
        return 0;
    }
}
