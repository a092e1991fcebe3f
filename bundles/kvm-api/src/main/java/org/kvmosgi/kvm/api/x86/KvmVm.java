package org.kvmosgi.kvm.api.x86;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.kvmosgi.kvm.api.KvmStat;

/** struct kvm: one VM, created by KVM_CREATE_VM and alive while any of its fds is open. */
public class KvmVm {
    /** KVM_USER_MEM_SLOTS of the model (Linux x86: 32764). */
    public static final int KVM_USER_MEM_SLOTS = 32;
    /** KVM_MAX_VCPUS of the model (Linux x86: 4096 with MAXSMP). */
    public static final int KVM_MAX_VCPUS = 1024;
    private static final KvmMemorySlot[] NO_SLOTS = {};

    /** A number unique among the VMs of this boot, for names ({@code kvm-vm}) and lists. */
    public final int id;
    /** users_count: the VM fd and each vCPU fd hold one. */
    public final AtomicInteger usersCount = new AtomicInteger(1);
    /** kvm->lock: vCPU creation and VM-wide changes. */
    public final ReentrantLock lock = new ReentrantLock();
    /** kvm->slots_lock. */
    public final ReentrantLock slotsLock = new ReentrantLock();
    /**
     * The memslots, replaced as a whole on change (readers take the array once, as SRCU
     * readers see one generation); sorted by base.
     */
    private volatile KvmMemorySlot[] memslots = NO_SLOTS;
    public final KvmVcpu[] vcpus = new KvmVcpu[KVM_MAX_VCPUS];
    /** online_vcpus. */
    public volatile int onlineVcpus;
    /** KVM_CREATE_IRQCHIP done: HLT and CR8 stay in the kernel. */
    public volatile boolean irqchipInKernel;
    /**
     * kvm->arch.vpic when the irqchip is in the kernel: the registers the model's PIC
     * keeps (IMR of master and slave, ELCR 0 and 1), reached through ports 0x21, 0xa1,
     * 0x4d0, 0x4d1.
     */
    public final byte[] vpic = new byte[4];
    /** Counters of vCPUs already destroyed, so that the VM's totals keep them. */
    public final long[] retiredStat = new long[KvmStat.COUNT];

    public KvmVm(int id) {
        this.id = id;
    }

    public KvmMemorySlot[] memslots() {
        return memslots;
    }

    public void setMemslots(KvmMemorySlot[] slots) {
        memslots = slots;
    }

    /** gfn_to_memslot for an access of {@code len} bytes: the slot, or null (MMIO). No allocation. */
    public KvmMemorySlot findSlot(long gpa, int len) {
        KvmMemorySlot[] s = memslots;
        for (int i = 0; i < s.length; i++) {
            if (s[i].contains(gpa, len)) {
                return s[i];
            }
        }
        return null;
    }

    /** The VM's statistics: the sum over its vCPUs, live and destroyed. */
    public void stats(long[] out) {
        System.arraycopy(retiredStat, 0, out, 0, KvmStat.COUNT);
        int n = onlineVcpus;
        for (int i = 0; i < n; i++) {
            KvmVcpu v = vcpus[i];
            if (v != null) {
                for (int s = 0; s < KvmStat.COUNT; s++) {
                    out[s] += v.stat[s];
                }
            }
        }
    }
}
