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
        loadSignatureClasses();
    }

    protected Vcpu(K kvm, int vcpuId, int mmapSize) {
        this.kvm = kvm;
        this.vcpuId = vcpuId;
        this.run = ByteBuffer.allocate(mmapSize).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Loads two JDK classes named in the signatures of what every exit runs through, before
     * any exit path is compiled: Java 17's C2 does not inline a method whose signature names
     * a class not loaded yet (JDK-8294609, changed in 20), and the JDK loads these late, at
     * a moment that varies from one JVM to the next. An exit path compiled before that
     * keeps the calls out of line for good.
     * <ul>
     * <li>{@code jdk.internal.misc.ScopedMemoryAccess$Scope}, returned by
     * {@code Buffer.scope()}, which every ByteBuffer get/put calls (kvm_run here, guest
     * memory as the VMM maps it); only C2's own work loads it. Compiled before it, the
     * guest's instruction decoder makes two calls per byte it reads: about 1.5x the exit's
     * time (46 ns instead of 31 per cpuid exit), in a third of the JVMs, whatever the
     * dispatch style;
     * <li>{@code AbstractQueuedSynchronizer$Node}, the parameter of the
     * {@code signalNext} that unlocking {@link #mutex} calls; loaded at the first
     * contended lock.
     * </ul>
     * Loading a class is not accessing it: no export of the JDK's packages is needed, and a
     * JDK without one of them has nothing to load.
     */
    private static void loadSignatureClasses() {
        for (String name : new String[] {"jdk.internal.misc.ScopedMemoryAccess$Scope",
            "java.util.concurrent.locks.AbstractQueuedSynchronizer$Node"}) {
            try {
                Class.forName(name, false, null);
            } catch (ClassNotFoundException e) {
                // a later JDK, whose C2 inlines past unloaded signature classes anyway
            }
        }
    }
}
