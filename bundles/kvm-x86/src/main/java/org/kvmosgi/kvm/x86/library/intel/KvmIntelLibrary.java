package org.kvmosgi.kvm.x86.library.intel;

import static org.kvmosgi.kvm.api.x86.KvmSymbols.*;

import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.SymbolExports;
import org.kvmosgi.kernel.api.modinfo.Module;
import org.kvmosgi.kvm.x86.hw.CoreLink;
import org.kvmosgi.kvm.x86.library.LibraryCore;
import org.kvmosgi.kvm.x86.vmx.VmxModule;

/** kvm-intel.ko of the library layout: vmx.c with arch/x86 linked in; virt/kvm is kvm.ko's. */
@Module(name = "kvm_intel", license = "GPL", author = "Qumranet", initcall = "vmx_init",
        description = "KVM support for VMX (Intel VT-x) extensions, with arch/x86 linked in",
        alias = {"cpu:type:x86,ven*fam*mod*:feature:*0085*"},
        steps = {"kvm_mmu_vendor_module_init", "hardware_setup", "vmx_setup_l1d_flush"},
        imports = {KVM_INIT, KVM_EXIT})
public class KvmIntelLibrary extends VmxModule {
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
