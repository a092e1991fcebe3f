package org.kvmosgi.kvm.x86.svm;

import static org.kvmosgi.kvm.api.x86.KvmSymbols.*;

import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.modinfo.Module;
import org.kvmosgi.kvm.x86.hw.CoreLink;

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
public class SvmModule extends KernelModule {
    private CoreLink core;

    /** How this build reaches the core: kvm.ko's exports here; the monolithic and library builds override it. */
    protected CoreLink link(ModuleContext ctx) {
        return CoreLink.symbols(ctx);
    }

    /** svm_init(). */
    @Override
    public int init(ModuleContext ctx) {
        CoreLink link = link(ctx);
        Svm svm = new Svm(ctx, link.exports());
        if (!svm.isSvmSupported(ctx.host().cpus().get(0))) {
            return Errno.EOPNOTSUPP.neg();
        }
        int r = link.vendorInit(svm);
        if (r != 0) {
            return r;
        }
        // Common KVM initialization must come last: after it, /dev/kvm is exposed to user space.
        r = link.kvmInit(VcpuSvm::new, ctx.name());
        if (r != 0) {
            link.vendorExit();
            return r;
        }
        core = link;
        return 0;
    }

    /** svm_exit(). */
    @Override
    public void exit(ModuleContext ctx) {
        core.kvmExit();
        core.vendorExit();
    }
}
