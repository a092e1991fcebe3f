package org.kvmosgi.playground.weakdep;

import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.modinfo.Module;

/** kmod's testsuite/module-playground/mod-weakdep.c: MODULE_WEAKDEP("mod-simple"). */
@Module(name = "mod_weakdep", license = "LGPL", description = "dummy test module", author = "Jose Ignacio Tornos Martinez <jtornosm@redhat.com>", weakdep = "mod-simple")
public class ModWeakdep extends KernelModule {
    @Override
    public int init(ModuleContext ctx) {
        return 0;
    }
}
