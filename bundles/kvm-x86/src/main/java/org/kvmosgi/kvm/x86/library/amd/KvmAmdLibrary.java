package org.kvmosgi.kvm.x86.library.amd;

import static org.kvmosgi.kvm.api.x86.KvmSymbols.*;

import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.SymbolExports;
import org.kvmosgi.kernel.api.modinfo.Module;
import org.kvmosgi.kvm.x86.hw.CoreLink;
import org.kvmosgi.kvm.x86.library.LibraryCore;
import org.kvmosgi.kvm.x86.svm.SvmModule;

/** kvm-amd.ko of the library layout: svm.c with arch/x86 linked in; virt/kvm is kvm.ko's. */
@Module(name = "kvm_amd", license = "GPL", author = "Qumranet", initcall = "svm_init",
        description = "KVM support for SVM (AMD-V) extensions, with arch/x86 linked in",
        alias = {"cpu:type:x86,ven*fam*mod*:feature:*00C2*"},
        steps = {"kvm_mmu_vendor_module_init", "hardware_setup"},
        imports = {KVM_INIT, KVM_EXIT})
public class KvmAmdLibrary extends SvmModule {
    private final LibraryCore core = new LibraryCore();

    @Override
    public void exports(SymbolExports e) {
        core.exports(e);
    }

    @Override
    protected CoreLink link(ModuleContext ctx) {
        return core.link(ctx);
    }

    @Override
    public int init(ModuleContext ctx) {
        core.init(ctx);
        return super.init(ctx);
    }
}
