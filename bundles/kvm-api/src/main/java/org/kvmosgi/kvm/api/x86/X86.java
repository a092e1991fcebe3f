package org.kvmosgi.kvm.api.x86;

/** x86 architectural constants the core and the vendors share. */
public final class X86 {
    // enum kvm_reg: the order of the general purpose registers in vcpu->arch.regs
    public static final int VCPU_REGS_RAX = 0, VCPU_REGS_RCX = 1, VCPU_REGS_RDX = 2, VCPU_REGS_RBX = 3,
            VCPU_REGS_RSP = 4, VCPU_REGS_RBP = 5, VCPU_REGS_RSI = 6, VCPU_REGS_RDI = 7,
            VCPU_REGS_R8 = 8, VCPU_REGS_R15 = 15, NR_VCPU_REGS = 16;

    // exception vectors
    public static final int DE_VECTOR = 0, UD_VECTOR = 6, DF_VECTOR = 8, GP_VECTOR = 13, PF_VECTOR = 14;

    // MSRs
    public static final int MSR_IA32_TSC = 0x10;
    public static final int MSR_IA32_TSC_ADJUST = 0x3b;
    public static final int MSR_IA32_FEAT_CTL = 0x3a;
    public static final int MSR_IA32_APICBASE = 0x1b;
    public static final int MSR_IA32_CR_PAT = 0x277;
    public static final int MSR_EFER = 0xc0000080;
    public static final int MSR_KERNEL_GS_BASE = 0xc0000102;
    public static final int MSR_IA32_VMX_PREEMPTION_TIMER = 0x485; // model: vendor MSR probe
    public static final int MSR_VM_CR = 0xc0010114;

    // exit_fastpath_completion
    public static final int EXIT_FASTPATH_NONE = 0, EXIT_FASTPATH_REENTER_GUEST = 1, EXIT_FASTPATH_EXIT_HANDLED = 2,
            EXIT_FASTPATH_EXIT_USERSPACE = 3;

    // hypercalls (include/uapi/linux/kvm_para.h)
    public static final int KVM_HC_VAPIC_POLL_IRQ = 1;
    /** KVM_HC_KICK_CPU(flags, apicid): wakes a vCPU halted in a pv spinlock's wait (kvm_kick_cpu). */
    public static final int KVM_HC_KICK_CPU = 5;

    // the KVM paravirt CPUID leaves (include/uapi/asm/kvm_para.h)
    public static final int KVM_CPUID_SIGNATURE = 0x40000000;
    public static final int KVM_CPUID_FEATURES = 0x40000001;
    /** KVM_CPUID_FEATURES.EAX bits. */
    public static final int KVM_FEATURE_STEAL_TIME = 5, KVM_FEATURE_PV_UNHALT = 7;
    /** KVM_CPUID_FEATURES.EDX bits: hints the VMM gives (never in KVM_GET_SUPPORTED_CPUID). */
    public static final int KVM_HINTS_REALTIME = 0;
    public static final int KVM_ENOSYS = 1000;

    // mp_state
    public static final int KVM_MP_STATE_RUNNABLE = 0, KVM_MP_STATE_HALTED = 3;

    private X86() {}
}
