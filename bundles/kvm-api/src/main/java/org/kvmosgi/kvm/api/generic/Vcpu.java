package org.kvmosgi.kvm.api.generic;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.kvmosgi.kernel.api.Allocation;
import org.kvmosgi.kvm.api.KvmStat;

/**
 * struct kvm_vcpu, the part virt/kvm/kvm_main.c owns. An architecture extends it with
 * vcpu->arch (and a vendor further, as vcpu_vmx embeds kvm_vcpu).
 *
 * @param <K> the architecture's VM type
 */
public abstract class Vcpu<K extends Kvm<?>> {
    public final K kvm;
    public final int vcpuId;
    /** vcpu->mutex: one ioctl at a time per vCPU. */
    public final ReentrantLock mutex = new ReentrantLock();
    /** The mapping user space sees: kvm_run and the pages after it (little endian). */
    public final ByteBuffer run;
    /** vcpu->stat, indexed by {@link KvmStat}. */
    public final long[] stat = new long[KvmStat.COUNT];
    /**
     * What kvm_vm_ioctl_create_vcpu allocated (struct kvm_vcpu from kvm_vcpu_cache, the
     * kvm_run page), charged to kvm_main's module; kvm_destroy_vcpus frees it.
     */
    public final List<Allocation> allocations = new ArrayList<>(2);

    protected Vcpu(K kvm, int vcpuId, int mmapSize) {
        this.kvm = kvm;
        this.vcpuId = vcpuId;
        this.run = ByteBuffer.allocate(mmapSize).order(ByteOrder.LITTLE_ENDIAN);
    }
}
