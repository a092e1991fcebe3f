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

    static {
        loadBufferScopeClass();
    }

    protected Vcpu(K kvm, int vcpuId, int mmapSize) {
        this.kvm = kvm;
        this.vcpuId = vcpuId;
        this.run = ByteBuffer.allocate(mmapSize).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Loads the class named in the signature of every ByteBuffer access, before any exit
     * path is compiled. Each get/put of a buffer (kvm_run here, guest memory in the VMM)
     * goes through {@code Buffer.scope()}, which returns a
     * {@code jdk.internal.misc.ScopedMemoryAccess$Scope}; Java 17's C2 does not inline a
     * method whose signature names a class not loaded yet (JDK-8294609, changed in 20), and
     * nothing loads that class early: only C2's own work does, at a moment that varies from
     * one JVM to the next. An exit path compiled before it calls out of line for every byte
     * the guest's instruction decoder reads, and stays so: about 1.5x the exit's time, in
     * whichever dispatch style it happened to. Loading a class is not accessing it: no
     * export of jdk.internal.misc is needed, and a JDK without the class has nothing to load.
     */
    private static void loadBufferScopeClass() {
        try {
            Class.forName("jdk.internal.misc.ScopedMemoryAccess$Scope", false, null);
        } catch (ClassNotFoundException e) {
            // a later JDK: the scope class is another one, and C2 inlines past unloaded signature classes
        }
    }
}
