package org.kvmosgi.kvm.x86.svm;

import static org.kvmosgi.kvm.api.x86.KvmSymbols.*;

import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.modinfo.Module;
import org.kvmosgi.kernel.api.modinfo.Param;
import org.kvmosgi.kernel.api.modinfo.ParamType;
import org.kvmosgi.kvm.api.x86.KvmSymbols;

/**
 * kvm-amd.ko (svm_init / svm_exit). CPU alias: X86_FEATURE_SVM (word 6, bit 2: 0x00c2).
 */
@Module(name = "kvm_amd", license = "GPL", author = "Qumranet", initcall = "svm_init",
        description = "KVM support for SVM (AMD-V) extensions",
        alias = {"cpu:type:x86,ven*fam*mod*:feature:*00C2*"},
        steps = {"hardware_setup"},
        imports = {KVM_INIT, KVM_EXIT, KVM_X86_VENDOR_INIT, KVM_X86_VENDOR_EXIT, KVM_EMULATE_CPUID, KVM_EMULATE_HALT,
            KVM_EMULATE_HYPERCALL, KVM_EMULATE_RDMSR, KVM_EMULATE_WRMSR, KVM_EMULATE_INSTRUCTION, KVM_FAST_PIO,
            KVM_SKIP_EMULATED_INSTRUCTION, KVM_GET_CR8, KVM_SET_CR8, KVM_COMPLETE_INSN_GP, KVM_MMU_PAGE_FAULT})
@Param(name = "npt", type = ParamType.INT, defaultValue = "1", perm = "0444")
@Param(name = "nested", type = ParamType.INT, defaultValue = "1", perm = "0444")
@Param(name = "avic", type = ParamType.BOOL, defaultValue = "N", perm = "0444")
@Param(name = "force_avic", type = ParamType.BOOL, defaultValue = "N", perm = "0444")
@Param(name = "nrips", type = ParamType.INT, defaultValue = "1", perm = "0444")
@Param(name = "vls", type = ParamType.INT, defaultValue = "1", perm = "0444")
@Param(name = "vgif", type = ParamType.INT, defaultValue = "1", perm = "0444")
@Param(name = "lbrv", type = ParamType.INT, defaultValue = "1", perm = "0444")
@Param(name = "tsc_scaling", type = ParamType.INT, defaultValue = "1", perm = "0444")
@Param(name = "vnmi", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "intercept_smi", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "sev", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "sev_es", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "pause_filter_thresh", type = ParamType.USHORT, defaultValue = "128", perm = "0444")
@Param(name = "pause_filter_count", type = ParamType.USHORT, defaultValue = "3000", perm = "0444")
@Param(name = "dump_invalid_vmcb", type = ParamType.BOOL, defaultValue = "N", perm = "0644")
public class SvmModule extends KernelModule {
    private KvmSymbols.VoidFn kvmExit;
    private KvmSymbols.VoidFn vendorExit;

    /** svm_init(). */
    @Override
    public int init(ModuleContext ctx) {
        Svm svm = new Svm(ctx);
        if (!svm.isSvmSupported(ctx.host().cpus().get(0))) {
            return Errno.EOPNOTSUPP.neg();
        }
        int r = ctx.symbol(KVM_X86_VENDOR_INIT, KvmSymbols.VendorInit.class).vendorInit(svm);
        if (r != 0) {
            return r;
        }
        KvmSymbols.VoidFn vexit = ctx.symbol(KVM_X86_VENDOR_EXIT, KvmSymbols.VoidFn.class);
        // Common KVM initialization must come last: after it, /dev/kvm is exposed to user space.
        r = ctx.symbol(KVM_INIT, KvmSymbols.KvmInit.class).kvmInit(VcpuSvm::new, ctx.name());
        if (r != 0) {
            vexit.call();
            return r;
        }
        kvmExit = ctx.symbol(KVM_EXIT, KvmSymbols.VoidFn.class);
        vendorExit = vexit;
        return 0;
    }

    /** svm_exit(). */
    @Override
    public void exit(ModuleContext ctx) {
        kvmExit.call();
        vendorExit.call();
    }
}
