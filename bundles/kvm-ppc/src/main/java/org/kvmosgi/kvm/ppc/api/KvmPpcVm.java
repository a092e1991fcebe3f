package org.kvmosgi.kvm.ppc.api;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/** struct kvm on Book3S: generic fields, kvm->arch.kvm_ops, and what HV/PR keep in kvm->arch. */
public final class KvmPpcVm {
    /** A memory slot: guest physical range backed by user memory (little-endian view). */
    public record Slot(int id, int flags, long base, long size, ByteBuffer memory) {}

    public final int id;
    /** kvm->arch.kvm_ops: the implementation that runs this VM (set before init_vm). */
    public volatile KvmppcOps ops;
    /** kvm->users_count: the VM fd and each vCPU fd. */
    public final AtomicInteger usersCount = new AtomicInteger(1);
    public final ReentrantLock lock = new ReentrantLock();
    public final ReentrantLock slotsLock = new ReentrantLock();
    private volatile Slot[] memslots = new Slot[0];
    public final KvmPpcVcpu[] vcpus = new KvmPpcVcpu[PpcKvm.KVM_MAX_VCPUS];
    public int onlineVcpus;
    /** kvm->arch.lpid (HV) */
    public int lpid;
    /** What the implementation allocated for this VM (kvm->arch), freed by destroy_vm. */
    public volatile Object arch;
    /** Counters of vCPUs already freed, so a VM's totals survive them. */
    public final long[] retiredStat = new long[org.kvmosgi.kvm.api.KvmStat.COUNT];

    public KvmPpcVm(int id) {
        this.id = id;
    }

    public Slot[] memslots() {
        return memslots;
    }

    public void setMemslots(Slot[] slots) {
        memslots = slots;
    }

    /** The slot holding {@code len} bytes at {@code gpa}, or null (an MMIO access). */
    public Slot slotFor(long gpa, int len) {
        for (Slot s : memslots) {
            if (gpa >= s.base() && gpa + len <= s.base() + s.size()) {
                return s;
            }
        }
        return null;
    }
}
