package org.kvmosgi.kvm.api.ppc;

/** struct kvm_regs of PowerPC (arch/powerpc/include/uapi/asm/kvm.h), for KVM_GET_REGS/KVM_SET_REGS. */
public final class KvmPpcRegs {
    public long pc, cr, ctr, lr, xer, msr, srr0, srr1, pid;
    public long sprg0, sprg1, sprg2, sprg3, sprg4, sprg5, sprg6, sprg7;
    public final long[] gpr = new long[32];
}
