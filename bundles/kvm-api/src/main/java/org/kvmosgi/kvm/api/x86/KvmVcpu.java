package org.kvmosgi.kvm.api.x86;

import org.kvmosgi.kvm.api.KvmRunLayout;
import org.kvmosgi.kvm.api.generic.Vcpu;

/**
 * struct kvm_vcpu with its x86 arch part. A vendor extends it (vcpu_vmx, vcpu_svm), as
 * its struct embeds kvm_vcpu; the core allocates it through the vendor's
 * {@link KvmSymbols.VcpuFactory}, the model's kvm_vcpu_cache. Everything the run loop
 * touches is allocated here, once.
 */
public class KvmVcpu extends Vcpu<KvmVm> {

    // vcpu->arch
    public final long[] regs = new long[X86.NR_VCPU_REGS];
    public long rip;
    public long rflags = 2;
    public long cr0 = 0x60000010L;
    public long cr8;
    public long efer;
    public long tscAdjust;
    public long kernelGsBase;
    public int mpState = X86.KVM_MP_STATE_RUNNABLE;
    /** Out-argument of MSR reads (get_msr), so that an MSR exit allocates nothing. */
    public final long[] msrData = new long[1];
    /** Queued exception vector, or -1 (vcpu->arch.exception). */
    public int exceptionVector = -1;
    /** The guest hit a fault it cannot deliver (no IDT in the model): next entry is a triple fault. */
    public boolean tripleFault;

    /**
     * vcpu->arch.cpuid_entries as {function, eax, ebx, ecx, edx} rows, set by KVM_SET_CPUID2;
     * null until then (the model then answers from the supported table).
     */
    public volatile int[][] cpuidEntries;
    /** last_vmentry_cpu != -1: KVM_RUN has entered the guest once (KVM_SET_CPUID2 may no longer change it). */
    public volatile boolean hasRun;
    /** vcpu->arch.pv.pv_unhalted: a KVM_HC_KICK_CPU arrived; the next (or current) halt ends at once. */
    public volatile boolean pvUnhalted;
    /** What a halted vCPU waits on (the vCPU's rcuwait): a kick notifies it. */
    public final Object haltWait = new Object();

    /** vcpu->arch.nmi_queued: KVM_NMIs not yet processed (process_nmi() moves them to nmi_pending). */
    public int nmiQueued;
    /** vcpu->arch.nmi_pending: NMIs to inject, at most 2 (one while an NMI is in progress). */
    public int nmiPending;
    /** An injected NMI is in progress: NMIs are blocked until the guest's next VM exit (the model's IRET). */
    public boolean nmiBlocked;

    /** vcpu->arch.complete_userspace_io, as a code: what the next KVM_RUN finishes first. */
    public int completeUserspaceIo;
    public static final int CUIO_NONE = 0, CUIO_PIO_IN = 1, CUIO_PIO_OUT = 2, CUIO_MMIO_READ = 3, CUIO_MMIO_WRITE = 4;
    /** Size in bytes of the access being completed. */
    public int pendingSize;
    /** Register an MMIO read completes into. */
    public int pendingReg;
    /**
     * cui_linear_rip: RIP of the instruction a PIO completion belongs to; if user space
     * moved RIP (KVM_SET_REGS) before the next KVM_RUN, the completion is dropped.
     */
    public long pendingRip;
    /** Length of the instruction being completed (skipped when the completion runs). */
    public int pendingInsnLen;

    public KvmVcpu(KvmVm kvm, int vcpuId) {
        super(kvm, vcpuId, KvmRunLayout.MMAP_SIZE); // kvm_run, PIO page, coalesced MMIO page
    }

    /** kvm_run.exit_reason as last set. */
    public int exitReason() {
        return run.getInt(KvmRunLayout.EXIT_REASON);
    }

    public void setExitReason(int reason) {
        run.putInt(KvmRunLayout.EXIT_REASON, reason);
    }
}
