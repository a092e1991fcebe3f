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
    public static final int COUNT = 11;

    private static final String[] NAMES = {
        "exits", "io_exits", "mmio_exits", "halt_exits", "signal_exits", "irq_exits",
        "request_irq_exits", "insn_emulation", "insn_emulation_fail", "hypercalls",
        "halt_wakeup",
    };

    private KvmStat() {}

    public static String name(int stat) {
        return NAMES[stat];
    }
}
