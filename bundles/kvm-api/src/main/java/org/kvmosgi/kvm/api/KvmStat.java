package org.kvmosgi.kvm.api;

/**
 * The vCPU statistics the model keeps, named as KVM names them (struct kvm_vcpu_stat
 * on x86, /sys/kernel/debug/kvm/NAME, KVM_GET_STATS_FD descriptors); indices into the
 * counter arrays.
 */
public final class KvmStat {
    public static final int EXITS = 0;
    public static final int IO_EXITS = 1;
    public static final int MMIO_EXITS = 2;
    public static final int HALT_EXITS = 3;
    public static final int SIGNAL_EXITS = 4;
    public static final int IRQ_EXITS = 5;
    public static final int REQUEST_IRQ_EXITS = 6;
    public static final int INSN_EMULATION = 7;
    public static final int INSN_EMULATION_FAIL = 8;
    public static final int HYPERCALLS = 9;
    public static final int HALT_WAKEUP = 10;
    public static final int NMI_INJECTIONS = 11;
    /**
     * Model only: calls from the core to the vendor that went through a function pointer
     * (the ops table), i.e. a retpoline each with retpolines on. Patched (static_call) and
     * direct calls do not count.
     */
    public static final int INDIRECT_CALLS = 12;
    /** Model only: entries forced to exit at once by a zero VMX preemption timer. */
    public static final int IMMEDIATE_EXIT_TIMER = 13;
    /** Model only: entries forced to exit at once by a self-IPI (smp_send_reschedule). */
    public static final int IMMEDIATE_EXIT_IPI = 14;
    public static final int COUNT = 15;

    private static final String[] NAMES = {
        "exits", "io_exits", "mmio_exits", "halt_exits", "signal_exits", "irq_exits",
        "request_irq_exits", "insn_emulation", "insn_emulation_fail", "hypercalls",
        "halt_wakeup", "nmi_injections", "indirect_calls", "immediate_exit_timer", "immediate_exit_ipi",
    };

    private KvmStat() {}

    public static String name(int stat) {
        return NAMES[stat];
    }
}
