package org.kvmosgi.kvm.ppc.api;

import org.kvmosgi.kvm.api.generic.Vcpu;

/** struct kvm_vcpu on Book3S with the registers of vcpu->arch and the pending-exit state powerpc.c keeps. */
public final class KvmPpcVcpu extends Vcpu<KvmPpcVm> {
    /** MSR bits the model uses. */
    public static final long MSR_SF = 1L << 63, MSR_HV = 1L << 60, MSR_PR = 1L << 14, MSR_LE = 1L;

    public final long[] gpr = new long[32];
    public long pc, msr = MSR_SF | MSR_LE, cr, ctr, lr, xer, srr0, srr1, pid;
    public final long[] sprg = new long[8];

    // vcpu->mmio_needed and what kvmppc_complete_mmio_load needs
    public boolean mmioNeeded;
    public boolean mmioIsWrite;
    public int mmioRt;
    public int mmioBytes;
    public boolean mmioSignExtend;
    // vcpu->arch.hcall_needed
    public boolean hcallNeeded;
    /** vcpu->arch.papr_enabled: set by KVM_ENABLE_CAP(KVM_CAP_PPC_PAPR); HV guests are always PAPR. */
    public boolean paprEnabled;
    /** Instructions left in this KVM_RUN (the model's stand-in for a pending signal when it runs out). */
    public int runBudget;
    /** What the implementation keeps per vCPU. */
    public Object arch;

    public KvmPpcVcpu(KvmPpcVm kvm, int vcpuId) {
        super(kvm, vcpuId, PpcKvm.VCPU_MMAP_SIZE); // the kvm_run page (little endian, as on ppc64le)
    }
}
