package org.kvmosgi.playground.fooc;

import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.SymbolExports;
import org.kvmosgi.kernel.api.modinfo.ExportSymbol;
import org.kvmosgi.kernel.api.modinfo.Module;

/** kmod's testsuite/module-playground/mod-foo-c.c. */
@Module(name = "mod_foo_c", license = "LGPL", description = "dummy test module", author = "Lucas De Marchi <lucas.demarchi@intel.com>")
@ExportSymbol("print_fooC")
public class ModFooC extends KernelModule {
    @Override
    public void exports(SymbolExports e) {
        e.put("print_fooC", Runnable.class, () -> {});
    }

    @Override
    public int init(ModuleContext ctx) {
        return 0;
    }
}
