package org.kvmosgi.playground.simple;

import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.modinfo.Module;

/** kmod's testsuite/module-playground/mod-simple.c: init creates a debugfs file in kmod's; here it does nothing. */
@Module(name = "mod_simple", license = "GPL", description = "dummy test module", author = "Lucas De Marchi <lucas.demarchi@intel.com>")
public class ModSimple extends KernelModule {
    @Override
    public int init(ModuleContext ctx) {
        return 0;
    }

    @Override
    public void exit(ModuleContext ctx) {
        // nothing to undo
    }
}
