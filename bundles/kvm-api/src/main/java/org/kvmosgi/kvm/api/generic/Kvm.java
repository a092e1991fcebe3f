package org.kvmosgi.kvm.api.generic;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.kvmosgi.kernel.api.Allocation;
import org.kvmosgi.kvm.api.KvmStat;

/**
 * struct kvm, the part virt/kvm/kvm_main.c owns: one VM, created by KVM_CREATE_VM and
 * alive while any of its fds is open. An architecture extends it with kvm->arch.
 *
 * @param <V> the architecture's vCPU type
 */
public abstract class Kvm<V extends Vcpu<?>> {
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
    /** kvm->vcpu_array, KVM_MAX_VCPUS long. */
    public final V[] vcpus;
    /** online_vcpus. */
    public volatile int onlineVcpus;
    /** Counters of vCPUs already destroyed, so that the VM's totals keep them. */
    public final long[] retiredStat = new long[KvmStat.COUNT];
    /** What kvm_create_vm allocated for the VM (struct kvm), charged to kvm_main's module; kvm_destroy_vm frees it. */
    public final List<Allocation> allocations = new ArrayList<>(1);

    protected Kvm(int id, V[] vcpus) {
        this.id = id;
        this.vcpus = vcpus;
    }

    public final KvmMemorySlot[] memslots() {
        return memslots;
    }

    public final void setMemslots(KvmMemorySlot[] slots) {
        memslots = slots;
    }

    /** gfn_to_memslot for an access of {@code len} bytes: the slot, or null (MMIO). No allocation. */
    public final KvmMemorySlot findSlot(long gpa, int len) {
        KvmMemorySlot[] s = memslots;
        for (int i = 0; i < s.length; i++) {
            if (s[i].contains(gpa, len)) {
                return s[i];
            }
        }
        return null;
    }

    /** The VM's statistics: the sum over its vCPUs, live and destroyed. */
    public final void stats(long[] out) {
        System.arraycopy(retiredStat, 0, out, 0, KvmStat.COUNT);
        int n = onlineVcpus;
        for (int i = 0; i < n; i++) {
            V v = vcpus[i];
            if (v != null) {
                for (int s = 0; s < KvmStat.COUNT; s++) {
                    out[s] += v.stat[s];
                }
            }
        }
    }
}
