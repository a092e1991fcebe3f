package org.kvmosgi.playground.fakescsimod;

import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.SymbolExports;
import org.kvmosgi.kernel.api.modinfo.ExportSymbol;
import org.kvmosgi.kernel.api.modinfo.Module;

/** kmod's testsuite/module-playground/mod-fake-scsi-mod.c: laid out as scsi_mod.ko. */
@Module(name = "mod_fake_scsi_mod", license = "LGPL", description = "dummy test module", author = "Lucas De Marchi <lucas.demarchi@intel.com>")
@ExportSymbol("dummy_export")
public class ModFakeScsiMod extends KernelModule {
    @Override
    public void exports(SymbolExports e) {
        e.put("dummy_export", Runnable.class, () -> {});
    }

    @Override
    public int init(ModuleContext ctx) {
        return 0;
    }

    @Override
    public void exit(ModuleContext ctx) {
        // nothing to undo
    }
}
