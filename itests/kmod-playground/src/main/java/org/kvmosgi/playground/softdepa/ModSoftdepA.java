package org.kvmosgi.playground.softdepa;

import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.modinfo.Module;

/** kmod's testsuite/module-playground/mod-softdep-a.c: its softdeps come from modprobe.d in kmod's test. */
@Module(name = "mod_softdep_a", license = "LGPL", description = "dummy test module", author = "Dan He <dan.h.he@intel.com>")
public class ModSoftdepA extends KernelModule {
    @Override
    public int init(ModuleContext ctx) {
        return 0;
    }
}
