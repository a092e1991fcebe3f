package org.kvmosgi.kvm.x86.core;

import static org.kvmosgi.kvm.api.x86.KvmSymbols.*;

import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.SymbolExports;
import org.kvmosgi.kernel.api.modinfo.ExportSymbol;
import org.kvmosgi.kernel.api.modinfo.Module;
import org.kvmosgi.kernel.api.modinfo.Param;
import org.kvmosgi.kernel.api.modinfo.ParamType;
import org.kvmosgi.kvm.api.x86.KvmSymbols;
import org.kvmosgi.kvm.api.x86.KvmX86OpsView;

/**
 * kvm.ko: the common core, a library module since Linux 6.3. Its init sets up
 * module-wide state only; /dev/kvm appears when a vendor module calls kvm_init().
 * The symbols only the vendors may use are exported for kvm_intel and kvm_amd alone
 * (EXPORT_SYMBOL_FOR_KVM_INTERNAL); kvm_get_kvm/kvm_put_kvm stay plain GPL exports for
 * other users (vfio, kvmgt).
 */
@Module(name = "kvm", license = "GPL", author = "Qumranet", initcall = "kvm_x86_init",
        description = "Kernel-based Virtual Machine (KVM) Hypervisor",
        steps = {"kvm_mmu_vendor_module_init", "kvm_init_virtualization", "misc_register"})
@ExportSymbol(value = KVM_INIT, gpl = true, forModules = {"kvm_intel", "kvm_amd"})
@ExportSymbol(value = KVM_EXIT, gpl = true, forModules = {"kvm_intel", "kvm_amd"})
@ExportSymbol(value = KVM_X86_VENDOR_INIT, gpl = true, forModules = {"kvm_intel", "kvm_amd"})
@ExportSymbol(value = KVM_X86_VENDOR_EXIT, gpl = true, forModules = {"kvm_intel", "kvm_amd"})
@ExportSymbol(value = KVM_X86_OPS, gpl = true, forModules = {"kvm_intel", "kvm_amd"})
@ExportSymbol(value = KVM_EMULATE_CPUID, gpl = true, forModules = {"kvm_intel", "kvm_amd"})
@ExportSymbol(value = KVM_EMULATE_HALT, gpl = true, forModules = {"kvm_intel", "kvm_amd"})
@ExportSymbol(value = KVM_EMULATE_HYPERCALL, gpl = true, forModules = {"kvm_intel", "kvm_amd"})
@ExportSymbol(value = KVM_EMULATE_RDMSR, gpl = true, forModules = {"kvm_intel", "kvm_amd"})
@ExportSymbol(value = KVM_EMULATE_WRMSR, gpl = true, forModules = {"kvm_intel", "kvm_amd"})
@ExportSymbol(value = KVM_EMULATE_INSTRUCTION, gpl = true, forModules = {"kvm_intel", "kvm_amd"})
@ExportSymbol(value = KVM_FAST_PIO, gpl = true, forModules = {"kvm_intel", "kvm_amd"})
@ExportSymbol(value = KVM_SKIP_EMULATED_INSTRUCTION, gpl = true, forModules = {"kvm_intel", "kvm_amd"})
@ExportSymbol(value = KVM_GET_CR8, gpl = true, forModules = {"kvm_intel", "kvm_amd"})
@ExportSymbol(value = KVM_SET_CR8, gpl = true, forModules = {"kvm_intel", "kvm_amd"})
@ExportSymbol(value = KVM_COMPLETE_INSN_GP, gpl = true, forModules = {"kvm_intel", "kvm_amd"})
@ExportSymbol(value = KVM_QUEUE_EXCEPTION, gpl = true, forModules = {"kvm_intel", "kvm_amd"})
@ExportSymbol(value = KVM_MMU_PAGE_FAULT, gpl = true, forModules = {"kvm_intel", "kvm_amd"})
@ExportSymbol(value = KVM_GET_KVM, gpl = true)
@ExportSymbol(value = KVM_PUT_KVM, gpl = true)
@Param(name = "halt_poll_ns", type = ParamType.UINT, defaultValue = "200000", perm = "0644")
@Param(name = "halt_poll_ns_grow", type = ParamType.UINT, defaultValue = "2", perm = "0644")
@Param(name = "halt_poll_ns_grow_start", type = ParamType.UINT, defaultValue = "10000", perm = "0644")
@Param(name = "halt_poll_ns_shrink", type = ParamType.UINT, defaultValue = "2", perm = "0644")
@Param(name = "enable_virt_at_load", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "ignore_msrs", type = ParamType.BOOL, defaultValue = "N", perm = "0644")
@Param(name = "report_ignored_msrs", type = ParamType.BOOL, defaultValue = "Y", perm = "0644")
@Param(name = "min_timer_period_us", type = ParamType.UINT, defaultValue = "200", perm = "0644")
@Param(name = "kvmclock_periodic_sync", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "tsc_tolerance_ppm", type = ParamType.UINT, defaultValue = "250", perm = "0644")
@Param(name = "force_emulation_prefix", type = ParamType.INT, defaultValue = "0", perm = "0644")
@Param(name = "enable_pmu", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "tdp_mmu", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "mitigate_smt_rsb", type = ParamType.BOOL, defaultValue = "N", perm = "0444")
@Param(name = "dispatch", type = ParamType.CHARP, defaultValue = "static_call", perm = "0444",
        description = "How the core calls the vendor module: ops (a function pointer), static_call (patched call sites) or direct")
public class KvmModule extends KernelModule {
    private final X86Arch x86 = new X86Arch();

    @Override
    public void exports(SymbolExports e) {
        e.put(KVM_INIT, KvmSymbols.KvmInit.class, x86::kvmInit);
        e.put(KVM_EXIT, KvmSymbols.VoidFn.class, x86::kvmExit);
        e.put(KVM_X86_VENDOR_INIT, KvmSymbols.VendorInit.class, x86::vendorInit);
        e.put(KVM_X86_VENDOR_EXIT, KvmSymbols.VoidFn.class, x86::vendorExit);
        e.put(KVM_X86_OPS, KvmX86OpsView.class, x86.ops);
        e.put(KVM_EMULATE_CPUID, KvmSymbols.VcpuFn.class, x86::emulateCpuid);
        e.put(KVM_EMULATE_HALT, KvmSymbols.VcpuFn.class, x86::emulateHalt);
        e.put(KVM_EMULATE_HYPERCALL, KvmSymbols.VcpuFn.class, x86::emulateHypercall);
        e.put(KVM_EMULATE_RDMSR, KvmSymbols.VcpuFn.class, x86::emulateRdmsr);
        e.put(KVM_EMULATE_WRMSR, KvmSymbols.VcpuFn.class, x86::emulateWrmsr);
        e.put(KVM_EMULATE_INSTRUCTION, KvmSymbols.VcpuIntFn.class, x86::emulateInstruction);
        e.put(KVM_FAST_PIO, KvmSymbols.FastPio.class, x86::fastPio);
        e.put(KVM_SKIP_EMULATED_INSTRUCTION, KvmSymbols.VcpuFn.class, x86::skipEmulatedInstruction);
        e.put(KVM_GET_CR8, KvmSymbols.GetCr8.class, x86::getCr8);
        e.put(KVM_SET_CR8, KvmSymbols.SetCr8.class, x86::setCr8);
        e.put(KVM_COMPLETE_INSN_GP, KvmSymbols.VcpuIntFn.class, x86::completeInsnGp);
        e.put(KVM_QUEUE_EXCEPTION, KvmSymbols.QueueException.class, x86::queueException);
        e.put(KVM_MMU_PAGE_FAULT, KvmSymbols.MmuPageFault.class, x86::mmuPageFault);
        e.put(KVM_GET_KVM, KvmSymbols.KvmRef.class, x86.main::getKvm);
        e.put(KVM_PUT_KVM, KvmSymbols.KvmRef.class, x86.main::putKvm);
    }

    /** kvm_x86_init(): module-wide state only (kvm.dispatch= read here); a library module needs nothing else. */
    @Override
    public int init(ModuleContext ctx) {
        return x86.moduleInit(ctx);
    }

    /** kvm_x86_exit(): nothing to undo (a vendor holding kvm's symbols keeps kvm loaded). */
    @Override
    public void exit(ModuleContext ctx) {
        // module-wide state dies with the module
    }
}
