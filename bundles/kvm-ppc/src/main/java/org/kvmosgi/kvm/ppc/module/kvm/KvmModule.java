package org.kvmosgi.kvm.ppc.module.kvm;

import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.SymbolExports;
import org.kvmosgi.kernel.api.modinfo.ExportSymbol;
import org.kvmosgi.kernel.api.modinfo.Module;
import org.kvmosgi.kernel.api.modinfo.Param;
import org.kvmosgi.kernel.api.modinfo.ParamType;
import org.kvmosgi.kvm.api.dispatch.Dispatch;
import org.kvmosgi.kvm.ppc.api.HandleLoad;
import org.kvmosgi.kvm.ppc.api.HandleStore;
import org.kvmosgi.kvm.ppc.api.OpsSlot;
import org.kvmosgi.kvm.ppc.book3s.Book3sCore;
import org.kvmosgi.kvm.ppc.book3s.KvmppcCalls;

/**
 * kvm.ko of the split Book3S layout (Linux today): kvmppc_book3s_init() registers
 * /dev/kvm at once, and kvm-hv and kvm-pr plug in later through the two GPL-only ops
 * pointers. Nothing ties kvm's life to theirs: when they fail to load, kvm stays alone.
 */
@Module(name = "kvm", license = "GPL", author = "Qumranet", initcall = "kvmppc_book3s_init",
        description = "Kernel-based Virtual Machine (KVM) Hypervisor",
        steps = {"kvm_arch_alloc_vm", "kvm_arch_init_vm", "kvm_enable_virtualization", "anon_inode_getfile",
            "kvm_vcpu_cache_alloc", "kvm_run_page_alloc", "kvm_arch_vcpu_create", "create_vcpu_fd"})
@ExportSymbol(value = "kvmppc_hv_ops", gpl = true)
@ExportSymbol(value = "kvmppc_pr_ops", gpl = true)
@ExportSymbol(value = "kvmppc_handle_load", gpl = true)
@ExportSymbol(value = "kvmppc_handle_store", gpl = true)
@Param(name = "halt_poll_ns", type = ParamType.UINT, defaultValue = "10000", perm = "0644")
@Param(name = "halt_poll_ns_grow", type = ParamType.UINT, defaultValue = "2", perm = "0644")
@Param(name = "halt_poll_ns_grow_start", type = ParamType.UINT, defaultValue = "10000", perm = "0644")
@Param(name = "halt_poll_ns_shrink", type = ParamType.UINT, defaultValue = "2", perm = "0644")
@Param(name = "dispatch", type = ParamType.CHARP, defaultValue = "ops", perm = "0444",
        description = "How kvm calls kvm-hv and kvm-pr: ops (kvmppc_ops pointers, as Linux), static_call or direct (model only)")
public class KvmModule extends KernelModule {
    private Book3sCore core;
    private final OpsSlot hvOps = new OpsSlot("kvmppc_hv_ops");
    private final OpsSlot prOps = new OpsSlot("kvmppc_pr_ops");
    private volatile Book3sCore live;

    /** The exports exist before init (like __ksymtab); they reach the core once it exists. */
    @Override
    public void exports(SymbolExports e) {
        e.put("kvmppc_hv_ops", OpsSlot.class, hvOps);
        e.put("kvmppc_pr_ops", OpsSlot.class, prOps);
        e.put("kvmppc_handle_load", HandleLoad.class,
                (vcpu, gpa, rt, bytes, sx) -> live.handleLoad(vcpu, gpa, rt, bytes, sx));
        e.put("kvmppc_handle_store", HandleStore.class,
                (vcpu, gpa, value, bytes) -> live.handleStore(vcpu, gpa, value, bytes));
    }

    /** kvmppc_book3s_init(): kvm.dispatch= (model only), then kvm_init(), which registers /dev/kvm. */
    @Override
    public int init(ModuleContext ctx) {
        String value = ctx.params().string("dispatch");
        Dispatch style = Dispatch.parse(value, KvmppcCalls.DEFAULT);
        if (style == null) {
            ctx.log().err("%s", Dispatch.invalid(value));
            return Errno.EINVAL.neg();
        }
        core = new Book3sCore(ctx, hvOps, prOps, style);
        live = core;
        int r = core.kvmInit();
        if (r != 0) {
            live = null;
            core = null;
        }
        return r;
    }

    /** kvmppc_book3s_exit(): kvm_exit(). */
    @Override
    public void exit(ModuleContext ctx) {
        core.kvmExit();
        live = null;
        core = null;
    }
}
