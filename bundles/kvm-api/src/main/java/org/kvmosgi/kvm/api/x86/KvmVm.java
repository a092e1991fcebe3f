package org.kvmosgi.kvm.api.x86;

import org.kvmosgi.kvm.api.generic.Kvm;

/** struct kvm on x86: the generic part and kvm->arch. */
public class KvmVm extends Kvm<KvmVcpu> {
    /** KVM_USER_MEM_SLOTS of the model (Linux x86: 32764). */
    public static final int KVM_USER_MEM_SLOTS = 32;
    /** KVM_MAX_VCPUS of the model (Linux x86: 4096 with MAXSMP). */
    public static final int KVM_MAX_VCPUS = 1024;

    /** KVM_CREATE_IRQCHIP done: HLT and CR8 stay in the kernel. */
    public volatile boolean irqchipInKernel;
    /**
     * kvm->arch.vpic when the irqchip is in the kernel: the registers the model's PIC
     * keeps (IMR of master and slave, ELCR 0 and 1), reached through ports 0x21, 0xa1,
     * 0x4d0, 0x4d1.
     */
    public final byte[] vpic = new byte[4];
    /** kvm->arch.track_notifier_head: the page-track notifiers registered on this VM. */
    public final java.util.List<KvmSymbols.PageTrackNotifier> trackNotifiers = new java.util.concurrent.CopyOnWriteArrayList<>();

    public KvmVm(int id) {
        super(id, new KvmVcpu[KVM_MAX_VCPUS]);
    }
}
