package org.kvmosgi.kvm.x86.vmx;

import static org.kvmosgi.kvm.api.x86.KvmSymbols.*;

import org.kvmosgi.kernel.api.Allocation;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.modinfo.Module;
import org.kvmosgi.kernel.api.modinfo.Param;
import org.kvmosgi.kernel.api.modinfo.ParamType;
import org.kvmosgi.kvm.api.x86.KvmSymbols;

/**
 * kvm-intel.ko (vmx_init / vmx_exit). The CPU alias is MODULE_DEVICE_TABLE(x86cpu)
 * with X86_FEATURE_VMX (word 4, bit 5: 0x0085), so that udev's CPU modalias autoloads it.
 */
@Module(name = "kvm_intel", license = "GPL", author = "Qumranet", initcall = "vmx_init",
        description = "KVM support for VMX (Intel VT-x) extensions",
        alias = {"cpu:type:x86,ven*fam*mod*:feature:*0085*"},
        steps = {"hardware_setup", "vmx_setup_l1d_flush"},
        imports = {KVM_INIT, KVM_EXIT, KVM_X86_VENDOR_INIT, KVM_X86_VENDOR_EXIT, KVM_EMULATE_CPUID, KVM_EMULATE_HALT,
            KVM_EMULATE_HYPERCALL, KVM_EMULATE_RDMSR, KVM_EMULATE_WRMSR, KVM_EMULATE_INSTRUCTION, KVM_FAST_PIO,
            KVM_SKIP_EMULATED_INSTRUCTION, KVM_GET_CR8, KVM_SET_CR8, KVM_COMPLETE_INSN_GP, KVM_MMU_PAGE_FAULT})
@Param(name = "vpid", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "vnmi", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "flexpriority", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "ept", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "unrestricted_guest", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "eptad", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "emulate_invalid_guest_state", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "fasteoi", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "enable_apicv", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "enable_ipiv", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "enable_shadow_vmcs", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "nested", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "nested_early_check", type = ParamType.BOOL, defaultValue = "N", perm = "0444")
@Param(name = "pml", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "error_on_inconsistent_vmcs_config", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "dump_invalid_vmcs", type = ParamType.BOOL, defaultValue = "N", perm = "0644")
@Param(name = "preemption_timer", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "allow_smaller_maxphyaddr", type = ParamType.BOOL, defaultValue = "N", perm = "0444")
@Param(name = "ple_gap", type = ParamType.UINT, defaultValue = "128", perm = "0444")
@Param(name = "ple_window", type = ParamType.UINT, defaultValue = "4096", perm = "0444")
@Param(name = "pt_mode", type = ParamType.INT, defaultValue = "0", perm = "0444")
@Param(name = "vmentry_l1d_flush", type = ParamType.CHARP, defaultValue = "cond", perm = "0644",
        values = {"auto", "never", "cond", "always"})
public class VmxModule extends KernelModule {
    private KvmSymbols.VoidFn kvmExit;
    private KvmSymbols.VoidFn vendorExit;
    private Allocation l1dFlushPages;

    /** vmx_init(). */
    @Override
    public int init(ModuleContext ctx) {
        Vmx v = new Vmx(ctx);
        if (!v.isVmxSupported(ctx.host().cpus().get(0))) {
            return Errno.EOPNOTSUPP.neg();
        }
        int r = ctx.symbol(KVM_X86_VENDOR_INIT, KvmSymbols.VendorInit.class).vendorInit(v);
        if (r != 0) {
            return r;
        }
        KvmSymbols.VoidFn vexit = ctx.symbol(KVM_X86_VENDOR_EXIT, KvmSymbols.VoidFn.class);
        r = ctx.step("vmx_setup_l1d_flush", () -> setupL1dFlush(ctx));
        if (r != 0) {
            vexit.call();
            return r;
        }
        // Common KVM initialization must come last: after it, /dev/kvm is exposed to user space.
        r = ctx.symbol(KVM_INIT, KvmSymbols.KvmInit.class).kvmInit(VcpuVmx::new, ctx.name());
        if (r != 0) {
            cleanupL1dFlush();
            vexit.call();
            return r;
        }
        kvmExit = ctx.symbol(KVM_EXIT, KvmSymbols.VoidFn.class);
        vendorExit = vexit;
        return 0;
    }

    /** vmx_exit(): kvm_exit() (so /dev/kvm goes first), __vmx_exit(), kvm_x86_vendor_exit(). */
    @Override
    public void exit(ModuleContext ctx) {
        kvmExit.call();
        cleanupL1dFlush();
        vendorExit.call();
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
