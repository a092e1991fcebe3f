package org.kvmosgi.kvm.x86.hw;

import static org.kvmosgi.kvm.api.x86.KvmSymbols.*;

import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kvm.api.x86.KvmSymbols;

/**
 * The core's functions the vendors' exit handlers call back into, fixed once at init so
 * that no exit looks a symbol up: kvm.ko's exports in the split layout (both vendor
 * modules import every one of them), the functions themselves where arch/x86 is linked
 * into the vendor module (monolithic and library layouts).
 */
public final class CoreExports {
    public final KvmSymbols.VcpuFn emulateCpuid;
    public final KvmSymbols.VcpuFn emulateHalt;
    public final KvmSymbols.VcpuFn emulateHypercall;
    public final KvmSymbols.VcpuFn emulateRdmsr;
    public final KvmSymbols.VcpuFn emulateWrmsr;
    public final KvmSymbols.VcpuFn skipEmulatedInstruction;
    public final KvmSymbols.VcpuIntFn emulateInstruction;
    public final KvmSymbols.VcpuIntFn completeInsnGp;
    public final KvmSymbols.FastPio fastPio;
    public final KvmSymbols.GetCr8 getCr8;
    public final KvmSymbols.SetCr8 setCr8;
    public final KvmSymbols.MmuPageFault mmuPageFault;

    /** The split layout: kvm.ko's exports, as the module loader linked them. */
    public CoreExports(ModuleContext ctx) {
        this(ctx.symbol(KVM_EMULATE_CPUID, KvmSymbols.VcpuFn.class),
                ctx.symbol(KVM_EMULATE_HALT, KvmSymbols.VcpuFn.class),
                ctx.symbol(KVM_EMULATE_HYPERCALL, KvmSymbols.VcpuFn.class),
                ctx.symbol(KVM_EMULATE_RDMSR, KvmSymbols.VcpuFn.class),
                ctx.symbol(KVM_EMULATE_WRMSR, KvmSymbols.VcpuFn.class),
                ctx.symbol(KVM_SKIP_EMULATED_INSTRUCTION, KvmSymbols.VcpuFn.class),
                ctx.symbol(KVM_EMULATE_INSTRUCTION, KvmSymbols.VcpuIntFn.class),
                ctx.symbol(KVM_COMPLETE_INSN_GP, KvmSymbols.VcpuIntFn.class),
                ctx.symbol(KVM_FAST_PIO, KvmSymbols.FastPio.class),
                ctx.symbol(KVM_GET_CR8, KvmSymbols.GetCr8.class),
                ctx.symbol(KVM_SET_CR8, KvmSymbols.SetCr8.class),
                ctx.symbol(KVM_MMU_PAGE_FAULT, KvmSymbols.MmuPageFault.class));
    }

    /** The layouts that link arch/x86 into the vendor module: the functions themselves. */
    public CoreExports(KvmSymbols.VcpuFn emulateCpuid, KvmSymbols.VcpuFn emulateHalt, KvmSymbols.VcpuFn emulateHypercall,
            KvmSymbols.VcpuFn emulateRdmsr, KvmSymbols.VcpuFn emulateWrmsr, KvmSymbols.VcpuFn skipEmulatedInstruction,
            KvmSymbols.VcpuIntFn emulateInstruction, KvmSymbols.VcpuIntFn completeInsnGp, KvmSymbols.FastPio fastPio,
            KvmSymbols.GetCr8 getCr8, KvmSymbols.SetCr8 setCr8, KvmSymbols.MmuPageFault mmuPageFault) {
        this.emulateCpuid = emulateCpuid;
        this.emulateHalt = emulateHalt;
        this.emulateHypercall = emulateHypercall;
        this.emulateRdmsr = emulateRdmsr;
        this.emulateWrmsr = emulateWrmsr;
        this.skipEmulatedInstruction = skipEmulatedInstruction;
        this.emulateInstruction = emulateInstruction;
        this.completeInsnGp = completeInsnGp;
        this.fastPio = fastPio;
        this.getCr8 = getCr8;
        this.setCr8 = setCr8;
        this.mmuPageFault = mmuPageFault;
    }
}
