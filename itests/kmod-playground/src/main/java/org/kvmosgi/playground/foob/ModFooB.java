package org.kvmosgi.playground.foob;

import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.SymbolExports;
import org.kvmosgi.kernel.api.modinfo.ExportSymbol;
import org.kvmosgi.kernel.api.modinfo.Module;

/** kmod's testsuite/module-playground/mod-foo-b.c. */
@Module(name = "mod_foo_b", license = "LGPL", description = "dummy test module", author = "Lucas De Marchi <lucas.demarchi@intel.com>")
@ExportSymbol("print_fooB")
public class ModFooB extends KernelModule {
    @Override
    public void exports(SymbolExports e) {
        e.put("print_fooB", Runnable.class, () -> {});
    }

    @Override
    public int init(ModuleContext ctx) {
        return 0;
    }
}
