package org.kvmosgi.kvm.x86.library.kvm;

import static org.kvmosgi.kvm.api.x86.KvmSymbols.*;

import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.SymbolExports;
import org.kvmosgi.kernel.api.modinfo.Module;
import org.kvmosgi.kvm.api.x86.KvmSymbols;
import org.kvmosgi.kvm.api.x86.KvmVcpu;
import org.kvmosgi.kvm.api.x86.KvmVm;
import org.kvmosgi.kvm.virt.KvmMain;
import org.kvmosgi.kvm.x86.virt.VirtKvm;

/**
 * kvm.ko of the library layout: virt/kvm and page_track only (Bonzini's proposal), so
 * its exports are not duplicated by the vendors. kvm_init() takes the vendor's arch
 * hooks, since arch/x86 is linked into the vendor module; /dev/kvm and the VM files are
 * this module's code, owned by the vendor as in every layout.
 */
@Module(name = "kvm", license = "GPL", author = "Qumranet", initcall = "kvm_main_init",
        description = "Kernel-based Virtual Machine (KVM) Hypervisor: virt/kvm and page_track",
        steps = {"kvm_init_virtualization", "misc_register",
            "kvm_arch_alloc_vm", "kvm_arch_init_vm", "kvm_enable_virtualization", "anon_inode_getfile",
            "kvm_vcpu_cache_alloc", "kvm_run_page_alloc", "kvm_arch_vcpu_create", "create_vcpu_fd"})
public class KvmLibraryModule extends KernelModule {
    private ModuleContext ctx;
    /** kvm_main, linked to the arch hooks of the vendor that called kvm_init(). */
    private volatile KvmMain<KvmVm, KvmVcpu> main;

    @Override
    public void exports(SymbolExports e) {
        e.put(KVM_INIT, KvmSymbols.KvmInitArch.class, this::kvmInit);
        e.put(KVM_EXIT, KvmSymbols.VoidFn.class, this::kvmExit);
        VirtKvm.exports(e, () -> main);
    }

    private int kvmInit(org.kvmosgi.kvm.api.generic.KvmArch<KvmVm, KvmVcpu> arch, String module) {
        KvmMain<KvmVm, KvmVcpu> m = new KvmMain<>(ctx, arch);
        int r = m.kvmInit(module);
        if (r == 0) {
            main = m;
        }
        return r;
    }

    private void kvmExit() {
        main.kvmExit();
        main = null;
    }

    /** Module-wide state only: nothing before a vendor calls kvm_init(). */
    @Override
    public int init(ModuleContext ctx) {
        this.ctx = ctx;
        return 0;
    }

    @Override
    public void exit(ModuleContext ctx) {
        // a vendor holding kvm's symbols keeps kvm loaded
    }
}
