package org.kvmosgi.kvm.x86.core;

import static org.kvmosgi.kvm.api.x86.KvmSymbols.*;

import org.kvmosgi.kernel.api.SymbolExports;
import org.kvmosgi.kernel.api.modinfo.ExportSymbol;
import org.kvmosgi.kernel.api.modinfo.Param;
import org.kvmosgi.kernel.api.modinfo.ParamType;
import org.kvmosgi.kvm.api.x86.KvmSymbols;
import org.kvmosgi.kvm.api.x86.KvmX86OpsView;

/**
 * arch/x86/kvm's parameters and exports (x86.c, the MMU, the emulator): they travel with
 * these sources into whichever module carries them, kvm.ko in the split layout, each
 * vendor module in the monolithic and library layouts (where both vendors then export
 * them: the second one to load fails with a duplicate symbol). The symbols only the
 * vendors may use are EXPORT_SYMBOL_FOR_KVM_INTERNAL.
 */
@Param(name = "ignore_msrs", type = ParamType.BOOL, defaultValue = "N", perm = "0644")
@Param(name = "report_ignored_msrs", type = ParamType.BOOL, defaultValue = "Y", perm = "0644")
@Param(name = "min_timer_period_us", type = ParamType.UINT, defaultValue = "200", perm = "0644")
@Param(name = "kvmclock_periodic_sync", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "tsc_tolerance_ppm", type = ParamType.UINT, defaultValue = "250", perm = "0644")
@Param(name = "force_emulation_prefix", type = ParamType.INT, defaultValue = "0", perm = "0644")
@Param(name = "enable_pmu", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "tdp_mmu", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "mitigate_smt_rsb", type = ParamType.BOOL, defaultValue = "N", perm = "0444")
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
public final class X86Exports {
    private X86Exports() {}

    /** x86.c's exported functions, as {@code x86} implements them. */
    public static void exports(SymbolExports e, X86Arch x86) {
        e.put(KVM_X86_VENDOR_INIT, KvmSymbols.VendorInit.class, x86::vendorInit);
        e.put(KVM_X86_VENDOR_EXIT, KvmSymbols.VoidFn.class, x86::vendorExit);
        e.put(KVM_X86_OPS, KvmX86OpsView.class, x86.ops);
        e.put(KVM_EMULATE_CPUID, KvmSymbols.VcpuFn.class, x86::emulateCpuid);
        e.put(KVM_EMULATE_HALT, KvmSymbols.VcpuFn.class, x86::emulateHalt);
        e.put(KVM_EMULATE_HYPERCALL, KvmSymbols.VcpuFn.class, x86::emulateHypercall);
        e.put(KVM_EMULATE_RDMSR, KvmSymbols.VcpuFn.class, x86::emulateRdmsr);
        e.put(KVM_EMULATE_WRMSR, KvmSymbols.VcpuFn.class, x86::emulateWrmsr);
        e.put(KVM_EMULATE_INSTRUCTION, KvmSymbols.VcpuIntFn.class, x86::emulateInstruction);
        e.put(KVM_FAST_PIO, KvmSymbols.FastPio.class, x86); // no lambda frame on the PIO exit path
        e.put(KVM_SKIP_EMULATED_INSTRUCTION, KvmSymbols.VcpuFn.class, x86::skipEmulatedInstruction);
        e.put(KVM_GET_CR8, KvmSymbols.GetCr8.class, x86::getCr8);
        e.put(KVM_SET_CR8, KvmSymbols.SetCr8.class, x86::setCr8);
        e.put(KVM_COMPLETE_INSN_GP, KvmSymbols.VcpuIntFn.class, x86::completeInsnGp);
        e.put(KVM_QUEUE_EXCEPTION, KvmSymbols.QueueException.class, x86::queueException);
        e.put(KVM_MMU_PAGE_FAULT, KvmSymbols.MmuPageFault.class, x86::mmuPageFault);
    }
}
