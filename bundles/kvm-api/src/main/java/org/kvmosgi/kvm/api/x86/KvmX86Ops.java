package org.kvmosgi.kvm.api.x86;

/**
 * struct kvm_x86_ops: what a vendor module (kvm_intel, kvm_amd) gives the core. The
 * core copies it into its installed table in kvm_ops_update() and calls it only
 * through that table. Methods are the mandatory ops ({@code KVM_X86_OP}); the optional
 * ones ({@code KVM_X86_OP_OPTIONAL}) are methods returning a function object or null,
 * like a NULL function pointer, read once by kvm_ops_update().
 */
public interface KvmX86Ops {
    /** kvm_x86_ops.name: the vendor module's name, {@code kvm_intel} or {@code kvm_amd}. */
    String name();

    void hardwareUnsetup();

    /** check_processor_compatibility, run on CPU {@code cpu}: 0 or -errno. */
    int checkProcessorCompatibility(int cpu);

    /** enable_virtualization_cpu (VMXON / EFER.SVME) on {@code cpu}: 0 or -errno. */
    int enableVirtualizationCpu(int cpu);

    void disableVirtualizationCpu(int cpu);

    /** vm_init: 0 or -errno. */
    int vmInit(KvmVm kvm);

    void vmDestroy(KvmVm kvm);

    /** vcpu_create: the vendor part of a new vCPU (VMCS/VMCB); 0 or -errno. */
    int vcpuCreate(KvmVcpu vcpu);

    void vcpuFree(KvmVcpu vcpu);

    void vcpuReset(KvmVcpu vcpu, boolean initEvent);

    /** vcpu_run: enters the guest until it exits; returns an {@code EXIT_FASTPATH_*} value. */
    int vcpuRun(KvmVcpu vcpu, boolean forceImmediateExit);

    /** handle_exit: 1 to re-enter the guest, 0 to return to user space, -errno on error. */
    int handleExit(KvmVcpu vcpu, int exitFastpath);

    /** skip_emulated_instruction: advances RIP past the exiting instruction; 1 or 0. */
    int skipEmulatedInstruction(KvmVcpu vcpu);

    /** get_msr for the vendor's own MSRs: 0, or 1 when the vendor does not know it. */
    int getMsr(KvmVcpu vcpu, int msr, long[] data);

    /** set_msr for the vendor's own MSRs: 0, or 1 when the vendor does not know it. */
    int setMsr(KvmVcpu vcpu, int msr, long data);

    /** patch_hypercall: writes the vendor's hypercall instruction (VMCALL/VMMCALL) bytes. */
    void patchHypercall(byte[] insn);

    // ---- optional ops: null means absent ----

    /** set_hv_timer (VMX preemption timer as the LAPIC timer); absent without one. */
    default SetHvTimer setHvTimer() {
        return null;
    }

    /** cancel_hv_timer; present exactly when set_hv_timer is. */
    default VcpuVoidOp cancelHvTimer() {
        return null;
    }

    /**
     * request_immediate_exit, the 2019 op (kernels before 6.9): forces a VM-exit right
     * after the next entry. Since 6.9 the core passes {@code force_immediate_exit} to
     * {@link #vcpuRun} instead and the vendor picks the way; this tells which: its own
     * function (VMX: preemption timer 0), or null for the self-IPI the 2019 core did in
     * __kvm_request_immediate_exit.
     */
    default VcpuVoidOp requestImmediateExit() {
        return null;
    }

    /**
     * get_mt_mask (KVM_X86_OP_OPTIONAL_RET0): the memory-type bits of an EPT entry for a
     * guest frame. SVM has none; the core then gets 0 ({@code __static_call_return0}).
     */
    default GetMtMask getMtMask() {
        return null;
    }

    /** get_mt_mask(vcpu, gfn, is_mmio). */
    @FunctionalInterface
    interface GetMtMask {
        long getMtMask(KvmVcpu vcpu, long gfn, boolean isMmio);
    }

    /** set_hv_timer(vcpu, guest_deadline_tsc, &expired): 0 or -errno. */
    @FunctionalInterface
    interface SetHvTimer {
        int setHvTimer(KvmVcpu vcpu, long guestDeadlineTsc, boolean[] expired);
    }

    @FunctionalInterface
    interface VcpuVoidOp {
        void call(KvmVcpu vcpu);
    }
}
