package org.kvmosgi.kvm.x86.split;

import static org.kvmosgi.kvm.api.x86.KvmSymbols.*;

import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.SymbolExports;
import org.kvmosgi.kernel.api.modinfo.Module;
import org.kvmosgi.kernel.api.modinfo.Param;
import org.kvmosgi.kernel.api.modinfo.ParamType;
import org.kvmosgi.kvm.api.x86.KvmSymbols;
import org.kvmosgi.kvm.api.x86.KvmVcpu;
import org.kvmosgi.kvm.api.x86.KvmVm;
import org.kvmosgi.kvm.virt.KvmMain;
import org.kvmosgi.kvm.api.dispatch.Dispatch;
import org.kvmosgi.kvm.x86.core.KvmX86OpsTable;
import org.kvmosgi.kvm.x86.core.X86Arch;
import org.kvmosgi.kvm.x86.core.X86Exports;
import org.kvmosgi.kvm.x86.virt.VirtKvm;

/**
 * kvm.ko of the split layout: the common core (virt/kvm, page_track and arch/x86), a
 * library module since Linux 6.3. Its init sets up module-wide state only; /dev/kvm
 * appears when a vendor module calls kvm_init(). Its parameters and exports are those
 * of the sources it carries ({@link VirtKvm}, {@link X86Exports}) plus {@code dispatch}:
 * only this layout has a choice of how the core calls the vendor.
 */
@Module(name = "kvm", license = "GPL", author = "Qumranet", initcall = "kvm_x86_init",
        description = "Kernel-based Virtual Machine (KVM) Hypervisor",
        steps = {"kvm_mmu_vendor_module_init", "kvm_init_virtualization", "misc_register",
            "kvm_arch_alloc_vm", "kvm_arch_init_vm", "kvm_enable_virtualization", "anon_inode_getfile",
            "kvm_vcpu_cache_alloc", "kvm_run_page_alloc", "kvm_arch_vcpu_create", "create_vcpu_fd"})
@Param(name = "dispatch", type = ParamType.CHARP, defaultValue = "static_call", perm = "0444",
        description = "How the core calls the vendor module: ops (a function pointer), static_call (patched call sites) or direct")
public class KvmModule extends KernelModule {
    private final X86Arch x86 = new X86Arch();
    /** virt/kvm, linked to x86.c's hooks at init. */
    private volatile KvmMain<KvmVm, KvmVcpu> main;

    @Override
    public void exports(SymbolExports e) {
        e.put(KVM_INIT, KvmSymbols.KvmInit.class, (cache, module) -> x86.kvmInit(cache, module, main::kvmInit));
        e.put(KVM_EXIT, KvmSymbols.VoidFn.class, () -> x86.kvmExit(main::kvmExit));
        X86Exports.exports(e, x86);
        VirtKvm.exports(e, () -> main);
    }

    /** kvm_x86_init(): module-wide state only (kvm.dispatch= read here); a library module needs nothing else. */
    @Override
    public int init(ModuleContext ctx) {
        String value = ctx.params().string("dispatch");
        Dispatch style = Dispatch.parse(value, KvmX86OpsTable.DEFAULT);
        if (style == null) {
            ctx.log().err("%s", Dispatch.invalid(value));
            return Errno.EINVAL.neg();
        }
        x86.moduleInit(ctx, style);
        main = new KvmMain<>(ctx, x86);
        return 0;
    }

    /** kvm_x86_exit(): nothing to undo (a vendor holding kvm's symbols keeps kvm loaded). */
    @Override
    public void exit(ModuleContext ctx) {
        // module-wide state dies with the module
    }
}
