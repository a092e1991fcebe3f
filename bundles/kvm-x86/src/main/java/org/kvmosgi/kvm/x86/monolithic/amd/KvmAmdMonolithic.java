package org.kvmosgi.kvm.x86.monolithic.amd;

import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.SymbolExports;
import org.kvmosgi.kernel.api.modinfo.Module;
import org.kvmosgi.kvm.x86.hw.CoreLink;
import org.kvmosgi.kvm.x86.monolithic.LinkedCore;
import org.kvmosgi.kvm.x86.svm.SvmModule;

/**
 * kvm-amd.ko of the monolithic layout: svm.c with all of the core linked in, no
 * kvm.ko. Its init is the core's, then svm_init() calling the core directly; its
 * parameters are the core's and svm.c's ({@code kvm_amd.halt_poll_ns}...).
 */
@Module(name = "kvm_amd", license = "GPL", author = "Qumranet", initcall = "svm_init",
        description = "KVM support for SVM (AMD-V) extensions, with the KVM core linked in",
        alias = {"cpu:type:x86,ven*fam*mod*:feature:*00C2*"},
        steps = {"kvm_mmu_vendor_module_init", "kvm_init_virtualization", "misc_register", "hardware_setup",
            "kvm_arch_alloc_vm", "kvm_arch_init_vm", "kvm_enable_virtualization", "anon_inode_getfile",
            "kvm_vcpu_cache_alloc", "kvm_run_page_alloc", "kvm_arch_vcpu_create", "create_vcpu_fd"})
public class KvmAmdMonolithic extends SvmModule {
    private final LinkedCore core = new LinkedCore();

    @Override
    public void exports(SymbolExports e) {
        core.exports(e);
    }

    @Override
    protected CoreLink link(ModuleContext ctx) {
        return core.link();
    }

    @Override
    public int init(ModuleContext ctx) {
        core.init(ctx);
        return super.init(ctx);
    }
}
