package org.kvmosgi.kvm.ppc.api;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.locks.ReentrantLock;
import org.kvmosgi.kvm.api.KvmStat;

/** struct kvm_vcpu on Book3S with the registers of vcpu->arch and the pending-exit state powerpc.c keeps. */
public final class KvmPpcVcpu {
    /** MSR bits the model uses. */
    public static final long MSR_SF = 1L << 63, MSR_HV = 1L << 60, MSR_PR = 1L << 14, MSR_LE = 1L;

    public final KvmPpcVm kvm;
    public final int vcpuId;
    /** The kvm_run page user space maps (little endian, as on ppc64le). */
    public final ByteBuffer run = ByteBuffer.allocate(PpcKvm.VCPU_MMAP_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    public final ReentrantLock mutex = new ReentrantLock();
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
    public final long[] stat = new long[KvmStat.COUNT];
    /** What the implementation keeps per vCPU. */
    public Object arch;

    public KvmPpcVcpu(KvmPpcVm kvm, int vcpuId) {
        this.kvm = kvm;
        this.vcpuId = vcpuId;
    }
}
