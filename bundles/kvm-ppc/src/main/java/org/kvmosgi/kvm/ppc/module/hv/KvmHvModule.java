package org.kvmosgi.kvm.ppc.module.hv;

import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.modinfo.Module;
import org.kvmosgi.kernel.api.modinfo.Param;
import org.kvmosgi.kernel.api.modinfo.ParamType;
import org.kvmosgi.kvm.ppc.api.HandleLoad;
import org.kvmosgi.kvm.ppc.api.HandleStore;
import org.kvmosgi.kvm.ppc.api.MmioAccess;
import org.kvmosgi.kvm.ppc.api.OpsSlot;
import org.kvmosgi.kvm.ppc.hv.KvmHv;

/** kvm-hv.ko: Book3S HV KVM, plugged into kvm.ko through kvmppc_hv_ops. */
@Module(name = "kvm_hv", license = "GPL",
        imports = {"kvmppc_hv_ops", "kvmppc_handle_load", "kvmppc_handle_store"},
        steps = {"kvmhv_nested_init", "kvm_init_subcore_bitmap", "kvmppc_mmu_hv_init", "kvmppc_radix_init",
            "kvmppc_uvmem_init", "kvmppc_core_init_vm_hv"})
@Param(name = "nested", type = ParamType.BOOL, defaultValue = "Y", perm = "0644",
        description = "Enable nested virtualization (only on POWER9)")
@Param(name = "dynamic_mt_modes", type = ParamType.INT, defaultValue = "6", perm = "0644",
        description = "Set of allowed dynamic micro-threading modes: 0 (= none), 2, 4, or 6 (= 2 or 4)")
@Param(name = "target_smt_mode", type = ParamType.INT, defaultValue = "0", perm = "0644",
        description = "Target threads per core (0 = max)")
@Param(name = "indep_threads_mode", type = ParamType.BOOL, defaultValue = "Y", perm = "0644",
        description = "Independent-threads mode (only on POWER9)")
@Param(name = "one_vm_per_core", type = ParamType.BOOL, defaultValue = "N", perm = "0644",
        description = "Only run vCPUs from the same VM on a core (requires POWER8 or older)")
public class KvmHvModule extends KernelModule {
    private KvmHv hv;

    @Override
    public int init(ModuleContext ctx) {
        KvmHv h = new KvmHv(ctx, ctx.symbol("kvmppc_hv_ops", OpsSlot.class),
                MmioAccess.of(ctx.symbol("kvmppc_handle_load", HandleLoad.class),
                        ctx.symbol("kvmppc_handle_store", HandleStore.class)));
        int r = h.init();
        if (r == 0) {
            hv = h;
        }
        return r;
    }

    @Override
    public void exit(ModuleContext ctx) {
        hv.exit();
        hv = null;
    }
}
