package org.kvmosgi.playground.softdepb;

import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.modinfo.Module;

/** kmod's testsuite/module-playground/mod-softdep-b.c. */
@Module(name = "mod_softdep_b", license = "LGPL", description = "dummy test module", author = "Dan He <dan.h.he@intel.com>")
public class ModSoftdepB extends KernelModule {
    @Override
    public int init(ModuleContext ctx) {
        return 0;
    }
}
