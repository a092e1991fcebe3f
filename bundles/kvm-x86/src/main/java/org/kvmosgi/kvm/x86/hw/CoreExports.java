package org.kvmosgi.kvm.x86.hw;

import static org.kvmosgi.kvm.api.x86.KvmSymbols.*;

import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kvm.api.x86.KvmSymbols;

/**
 * kvm.ko's functions the vendors' exit handlers call back into, taken from the module's
 * resolved imports once at init, so that no exit looks a symbol up. Both vendor modules
 * import every one of them (their {@code @Module(imports=...)}).
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

    public CoreExports(ModuleContext ctx) {
        emulateCpuid = ctx.symbol(KVM_EMULATE_CPUID, KvmSymbols.VcpuFn.class);
        emulateHalt = ctx.symbol(KVM_EMULATE_HALT, KvmSymbols.VcpuFn.class);
        emulateHypercall = ctx.symbol(KVM_EMULATE_HYPERCALL, KvmSymbols.VcpuFn.class);
        emulateRdmsr = ctx.symbol(KVM_EMULATE_RDMSR, KvmSymbols.VcpuFn.class);
        emulateWrmsr = ctx.symbol(KVM_EMULATE_WRMSR, KvmSymbols.VcpuFn.class);
        skipEmulatedInstruction = ctx.symbol(KVM_SKIP_EMULATED_INSTRUCTION, KvmSymbols.VcpuFn.class);
        emulateInstruction = ctx.symbol(KVM_EMULATE_INSTRUCTION, KvmSymbols.VcpuIntFn.class);
        completeInsnGp = ctx.symbol(KVM_COMPLETE_INSN_GP, KvmSymbols.VcpuIntFn.class);
        fastPio = ctx.symbol(KVM_FAST_PIO, KvmSymbols.FastPio.class);
        getCr8 = ctx.symbol(KVM_GET_CR8, KvmSymbols.GetCr8.class);
        setCr8 = ctx.symbol(KVM_SET_CR8, KvmSymbols.SetCr8.class);
        mmuPageFault = ctx.symbol(KVM_MMU_PAGE_FAULT, KvmSymbols.MmuPageFault.class);
    }
}
