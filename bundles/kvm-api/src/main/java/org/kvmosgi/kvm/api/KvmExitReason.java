package org.kvmosgi.kvm.api;

/** kvm_run.exit_reason values (include/uapi/linux/kvm.h). */
public final class KvmExitReason {
    public static final int KVM_EXIT_UNKNOWN = 0;
    public static final int KVM_EXIT_EXCEPTION = 1;
    public static final int KVM_EXIT_IO = 2;
    public static final int KVM_EXIT_HYPERCALL = 3;
    public static final int KVM_EXIT_DEBUG = 4;
    public static final int KVM_EXIT_HLT = 5;
    public static final int KVM_EXIT_MMIO = 6;
    public static final int KVM_EXIT_IRQ_WINDOW_OPEN = 7;
    public static final int KVM_EXIT_SHUTDOWN = 8;
    public static final int KVM_EXIT_FAIL_ENTRY = 9;
    public static final int KVM_EXIT_INTR = 10;
    public static final int KVM_EXIT_SET_TPR = 11;
    public static final int KVM_EXIT_TPR_ACCESS = 12;
    public static final int KVM_EXIT_NMI = 16;
    public static final int KVM_EXIT_INTERNAL_ERROR = 17;
    /** PowerPC: the guest's OSI call (Mac-on-Linux). */
    public static final int KVM_EXIT_OSI = 18;
    /** PowerPC: a PAPR hypercall ({@code sc 1}) for user space; kvm_run.papr_hcall. */
    public static final int KVM_EXIT_PAPR_HCALL = 19;
    public static final int KVM_EXIT_SYSTEM_EVENT = 24;
    public static final int KVM_EXIT_X86_RDMSR = 29;
    public static final int KVM_EXIT_X86_WRMSR = 30;

    /** kvm_run.io.direction. */
    public static final int KVM_EXIT_IO_IN = 0;
    public static final int KVM_EXIT_IO_OUT = 1;

    /** kvm_run.internal.suberror. */
    public static final int KVM_INTERNAL_ERROR_EMULATION = 1;
    public static final int KVM_INTERNAL_ERROR_SIMUL_EX = 2;
    public static final int KVM_INTERNAL_ERROR_DELIVERY_EV = 3;
    public static final int KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON = 4;

    private static final String[] NAMES = new String[31];

    static {
        NAMES[KVM_EXIT_UNKNOWN] = "KVM_EXIT_UNKNOWN";
        NAMES[KVM_EXIT_EXCEPTION] = "KVM_EXIT_EXCEPTION";
        NAMES[KVM_EXIT_IO] = "KVM_EXIT_IO";
        NAMES[KVM_EXIT_HYPERCALL] = "KVM_EXIT_HYPERCALL";
        NAMES[KVM_EXIT_DEBUG] = "KVM_EXIT_DEBUG";
        NAMES[KVM_EXIT_HLT] = "KVM_EXIT_HLT";
        NAMES[KVM_EXIT_MMIO] = "KVM_EXIT_MMIO";
        NAMES[KVM_EXIT_IRQ_WINDOW_OPEN] = "KVM_EXIT_IRQ_WINDOW_OPEN";
        NAMES[KVM_EXIT_SHUTDOWN] = "KVM_EXIT_SHUTDOWN";
        NAMES[KVM_EXIT_FAIL_ENTRY] = "KVM_EXIT_FAIL_ENTRY";
        NAMES[KVM_EXIT_INTR] = "KVM_EXIT_INTR";
        NAMES[KVM_EXIT_SET_TPR] = "KVM_EXIT_SET_TPR";
        NAMES[KVM_EXIT_TPR_ACCESS] = "KVM_EXIT_TPR_ACCESS";
        NAMES[KVM_EXIT_NMI] = "KVM_EXIT_NMI";
        NAMES[KVM_EXIT_INTERNAL_ERROR] = "KVM_EXIT_INTERNAL_ERROR";
        NAMES[KVM_EXIT_OSI] = "KVM_EXIT_OSI";
        NAMES[KVM_EXIT_PAPR_HCALL] = "KVM_EXIT_PAPR_HCALL";
        NAMES[KVM_EXIT_SYSTEM_EVENT] = "KVM_EXIT_SYSTEM_EVENT";
        NAMES[KVM_EXIT_X86_RDMSR] = "KVM_EXIT_X86_RDMSR";
        NAMES[KVM_EXIT_X86_WRMSR] = "KVM_EXIT_X86_WRMSR";
    }

    private KvmExitReason() {}

    public static String name(int reason) {
        String n = reason >= 0 && reason < NAMES.length ? NAMES[reason] : null;
        return n != null ? n : "KVM_EXIT_" + reason;
    }
}
