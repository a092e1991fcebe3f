package org.kvmosgi.kvm.ppc.module.pr;

import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.modinfo.Module;
import org.kvmosgi.kvm.ppc.api.HandleLoad;
import org.kvmosgi.kvm.ppc.api.HandleStore;
import org.kvmosgi.kvm.ppc.api.MmioAccess;
import org.kvmosgi.kvm.ppc.api.OpsSlot;
import org.kvmosgi.kvm.ppc.pr.KvmPr;

/** kvm-pr.ko: Book3S PR KVM, plugged into kvm.ko through kvmppc_pr_ops. */
@Module(name = "kvm_pr", license = "GPL", initcall = "kvmppc_book3s_init_pr",
        imports = {"kvmppc_pr_ops", "kvmppc_handle_load", "kvmppc_handle_store"},
        steps = {"kvmppc_mmu_hpte_sysinit", "kvmppc_core_init_vm_pr"})
public class KvmPrModule extends KernelModule {
    private KvmPr pr;

    @Override
    public int init(ModuleContext ctx) {
        KvmPr p = new KvmPr(ctx, ctx.symbol("kvmppc_pr_ops", OpsSlot.class),
                MmioAccess.of(ctx.symbol("kvmppc_handle_load", HandleLoad.class),
                        ctx.symbol("kvmppc_handle_store", HandleStore.class)));
        int r = p.init();
        if (r == 0) {
            pr = p;
        }
        return r;
    }

    @Override
    public void exit(ModuleContext ctx) {
        pr.exit();
        pr = null;
    }
}
