package org.kvmosgi.playground.fakecciss;

import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.modinfo.Module;

/** kmod's testsuite/module-playground/mod-fake-cciss.c: laid out as cciss.ko. The aliases are in the order of the
 * .ko's .modinfo section, the reverse of the MODULE_ALIAS lines in the C source, as kmod reads them. */
@Module(name = "mod_fake_cciss", license = "LGPL", description = "dummy test module", author = "Lucas De Marchi <lucas.demarchi@intel.com>", alias = {
        "pci:v0000103Cd00003230sv0000103Csd0000323Dbc*sc*i*",
        "pci:v0000103Cd00003230sv0000103Csd00003237bc*sc*i*",
        "pci:v0000103Cd00003238sv0000103Csd00003215bc*sc*i*",
        "pci:v0000103Cd00003238sv0000103Csd00003214bc*sc*i*",
        "pci:v0000103Cd00003238sv0000103Csd00003213bc*sc*i*",
        "pci:v0000103Cd00003238sv0000103Csd00003212bc*sc*i*",
        "pci:v0000103Cd00003238sv0000103Csd00003211bc*sc*i*",
        "pci:v0000103Cd00003230sv0000103Csd00003235bc*sc*i*",
        "pci:v0000103Cd00003230sv0000103Csd00003234bc*sc*i*",
        "pci:v0000103Cd00003230sv0000103Csd00003223bc*sc*i*",
        "pci:v0000103Cd00003220sv0000103Csd00003225bc*sc*i*",
        "pci:v00000E11d00000046sv00000E11sd0000409Dbc*sc*i*",
        "pci:v00000E11d00000046sv00000E11sd0000409Cbc*sc*i*",
        "pci:v00000E11d00000046sv00000E11sd0000409Bbc*sc*i*",
        "pci:v00000E11d00000046sv00000E11sd0000409Abc*sc*i*",
        "pci:v00000E11d00000046sv00000E11sd00004091bc*sc*i*",
        "pci:v00000E11d0000B178sv00000E11sd00004083bc*sc*i*",
        "pci:v00000E11d0000B178sv00000E11sd00004082bc*sc*i*",
        "pci:v00000E11d0000B178sv00000E11sd00004080bc*sc*i*",
        "pci:v00000E11d0000B060sv00000E11sd00004070bc*sc*i*"})
public class ModFakeCciss extends KernelModule {
    @Override
    public int init(ModuleContext ctx) {
        return 0;
    }

    @Override
    public void exit(ModuleContext ctx) {
        // nothing to undo
    }
}
