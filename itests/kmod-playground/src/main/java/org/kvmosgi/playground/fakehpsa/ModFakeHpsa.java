package org.kvmosgi.playground.fakehpsa;

import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.modinfo.Module;

/** kmod's testsuite/module-playground/mod-fake-hpsa.c: laid out as hpsa.ko. The aliases are in the order of the
 * .ko's .modinfo section, the reverse of the MODULE_ALIAS lines in the C source, as kmod reads them. */
@Module(name = "mod_fake_hpsa", license = "LGPL", description = "dummy test module", author = "Lucas De Marchi <lucas.demarchi@intel.com>", imports = {"dummy_export"}, alias = {
        "pci:v0000103Cd*sv*sd*bc01sc04i*",
        "pci:v0000103Cd0000323Bsv0000103Csd00003356bc*sc*i*",
        "pci:v0000103Cd0000323Bsv0000103Csd00003355bc*sc*i*",
        "pci:v0000103Cd0000323Bsv0000103Csd00003354bc*sc*i*",
        "pci:v0000103Cd0000323Bsv0000103Csd00003353bc*sc*i*",
        "pci:v0000103Cd0000323Bsv0000103Csd00003352bc*sc*i*",
        "pci:v0000103Cd0000323Bsv0000103Csd00003351bc*sc*i*",
        "pci:v0000103Cd0000323Bsv0000103Csd00003350bc*sc*i*",
        "pci:v0000103Cd0000323Asv0000103Csd00003233bc*sc*i*",
        "pci:v0000103Cd0000323Asv0000103Csd0000324Bbc*sc*i*",
        "pci:v0000103Cd0000323Asv0000103Csd0000324Abc*sc*i*",
        "pci:v0000103Cd0000323Asv0000103Csd00003249bc*sc*i*",
        "pci:v0000103Cd0000323Asv0000103Csd00003247bc*sc*i*",
        "pci:v0000103Cd0000323Asv0000103Csd00003245bc*sc*i*",
        "pci:v0000103Cd0000323Asv0000103Csd00003243bc*sc*i*",
        "pci:v0000103Cd0000323Asv0000103Csd00003241bc*sc*i*"})
public class ModFakeHpsa extends KernelModule {
    @Override
    public int init(ModuleContext ctx) {
        ctx.symbol("dummy_export", Runnable.class).run();
        return 0;
    }

    @Override
    public void exit(ModuleContext ctx) {
        // nothing to undo
    }
}
