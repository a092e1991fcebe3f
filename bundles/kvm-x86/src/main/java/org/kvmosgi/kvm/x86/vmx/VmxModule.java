package org.kvmosgi.kvm.x86.vmx;

import static org.kvmosgi.kvm.api.x86.KvmSymbols.*;

import org.kvmosgi.kernel.api.Allocation;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.modinfo.Module;
import org.kvmosgi.kvm.x86.hw.CoreLink;

/**
 * kvm-intel.ko (vmx_init / vmx_exit) of the split layout; its parameters are
 * {@link VmxParams}. The CPU alias is MODULE_DEVICE_TABLE(x86cpu)
 * with X86_FEATURE_VMX (word 4, bit 5: 0x0085), so that udev's CPU modalias autoloads it.
 */
@Module(name = "kvm_intel", license = "GPL", author = "Qumranet", initcall = "vmx_init",
        description = "KVM support for VMX (Intel VT-x) extensions",
        alias = {"cpu:type:x86,ven*fam*mod*:feature:*0085*"},
        steps = {"hardware_setup", "vmx_setup_l1d_flush"},
        imports = {KVM_INIT, KVM_EXIT, KVM_X86_VENDOR_INIT, KVM_X86_VENDOR_EXIT, KVM_EMULATE_CPUID, KVM_EMULATE_HALT,
            KVM_EMULATE_HYPERCALL, KVM_EMULATE_RDMSR, KVM_EMULATE_WRMSR, KVM_EMULATE_INSTRUCTION, KVM_FAST_PIO,
            KVM_SKIP_EMULATED_INSTRUCTION, KVM_GET_CR8, KVM_SET_CR8, KVM_COMPLETE_INSN_GP, KVM_MMU_PAGE_FAULT})
public class VmxModule extends KernelModule {
    private CoreLink core;
    private Allocation l1dFlushPages;

    /** How this build reaches the core: kvm.ko's exports here; the monolithic and library builds override it. */
    protected CoreLink link(ModuleContext ctx) {
        return CoreLink.symbols(ctx);
    }

    /** vmx_init(). */
    @Override
    public int init(ModuleContext ctx) {
        CoreLink link = link(ctx);
        Vmx v = new Vmx(ctx, link.exports());
        if (!v.isVmxSupported(ctx.host().cpus().get(0))) {
            return Errno.EOPNOTSUPP.neg();
        }
        int r = link.vendorInit(v);
        if (r != 0) {
            return r;
        }
        r = ctx.step("vmx_setup_l1d_flush", () -> setupL1dFlush(ctx));
        if (r != 0) {
            link.vendorExit();
            return r;
        }
        // Common KVM initialization must come last: after it, /dev/kvm is exposed to user space.
        r = link.kvmInit(VcpuVmx::new, ctx.name());
        if (r != 0) {
            cleanupL1dFlush();
            link.vendorExit();
            return r;
        }
        core = link;
        return 0;
    }

    /** vmx_exit(): kvm_exit() (so /dev/kvm goes first), __vmx_exit(), kvm_x86_vendor_exit(). */
    @Override
    public void exit(ModuleContext ctx) {
        core.kvmExit();
        cleanupL1dFlush();
        core.vendorExit();
    }

    /** vmx_setup_l1d_flush(): the pages the L1D flush on VM entry reads (none with "never"). */
    private int setupL1dFlush(ModuleContext ctx) {
        if ("never".equals(ctx.params().string("vmentry_l1d_flush"))) {
            return 0;
        }
        l1dFlushPages = ctx.kernel().kmalloc("vmx_l1d_flush_pages", 16 * 4096);
        return l1dFlushPages == null ? Errno.ENOMEM.neg() : 0;
    }

    private void cleanupL1dFlush() {
        if (l1dFlushPages != null) {
            l1dFlushPages.free();
            l1dFlushPages = null;
        }
    }
}
