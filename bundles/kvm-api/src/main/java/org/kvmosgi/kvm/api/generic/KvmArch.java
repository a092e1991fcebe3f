package org.kvmosgi.kvm.api.generic;

import org.kvmosgi.kernel.api.Errno;

/**
 * The kvm_arch_* hooks virt/kvm/kvm_main.c calls (kvm_host.h declares them): what an
 * architecture (arch/x86/kvm/x86.c, arch/powerpc/kvm/powerpc.c) supplies to the one
 * generic core. A header type, so that a kvm.ko holding virt/kvm alone can be handed the
 * hooks of arch code linked into another module. Return values follow the kernel: a
 * result, or -errno.
 *
 * @param <K> the architecture's struct kvm
 * @param <V> the architecture's struct kvm_vcpu
 */
public interface KvmArch<K extends Kvm<V>, V extends Vcpu<K>> {
    /**
     * kvm_main is linked to these hooks; it hands over what it owns that arch code reads:
     * halt_poll_ns (a parameter of the module carrying kvm_main), for the arch's halt.
     */
    default void linked(java.util.function.LongSupplier haltPollNs) {
    }

    // ---- limits of the architecture (KVM_USER_MEM_SLOTS, KVM_MAX_VCPUS, PAGE_SIZE) ----

    int userMemSlots();

    int maxVcpus();

    /** KVM_MAX_VCPU_IDS. */
    default int maxVcpuIds() {
        return maxVcpus();
    }

    int pageSize();

    /** KVM_GET_VCPU_MMAP_SIZE: the kvm_run page and what follows it. */
    int vcpuMmapSize();

    // ---- CONFIG_KVM_GENERIC_HARDWARE_ENABLING ----

    /** True when kvm_main turns virtualization on and off per CPU (x86); false on Book3S. */
    default boolean genericHardwareEnabling() {
        return false;
    }

    /** kvm_arch_enable_virtualization_cpu(). */
    default int enableVirtualizationCpu(int cpu) {
        return 0;
    }

    /** kvm_arch_disable_virtualization_cpu(). */
    default void disableVirtualizationCpu(int cpu) {
    }

    // ---- /dev/kvm ----

    /** kvm_arch_dev_ioctl(): what kvm_dev_ioctl() does not know. */
    default long devIoctl(int cmd, Object arg) {
        return Errno.EINVAL.neg();
    }

    /** kvm_vm_ioctl_check_extension(): the arch part; {@code kvm} is null on /dev/kvm. */
    long checkExtension(K kvm, int ext);

    // ---- VMs ----

    /**
     * The struct kvm for KVM_CREATE_VM of {@code type}, not yet initialised, or null for a
     * type the architecture refuses (-EINVAL). {@code nextId} numbers it.
     */
    K allocVm(long type, java.util.function.IntSupplier nextId);

    /** kvm_arch_init_vm(): pins what runs the VM; undoes itself on failure. 0 or -errno. */
    int initVm(K kvm);

    /** kvm_arch_destroy_vm(): the reverse of {@link #initVm}, pin included. */
    void destroyVm(K kvm);

    /** kvm_arch_vm_ioctl(): what kvm_vm_ioctl() does not know. */
    default long vmIoctl(K kvm, int cmd, Object arg) {
        return Errno.ENOTTY.neg();
    }

    // ---- vCPUs ----

    /** The vCPU structure (kmem_cache_zalloc(kvm_vcpu_cache)). */
    V allocVcpu(K kvm, int id);

    /** kvm_arch_vcpu_create(): 0 or -errno. */
    int vcpuCreate(V vcpu);

    /** kvm_arch_vcpu_postcreate(). */
    default void vcpuPostcreate(V vcpu) {
    }

    /** kvm_arch_vcpu_destroy(). */
    void vcpuDestroy(V vcpu);

    /** kvm_arch_vcpu_ioctl_run(); the caller holds vcpu->mutex. 0 or -errno. */
    int vcpuIoctlRun(V vcpu);

    /** kvm_arch_vcpu_ioctl_get_regs(): 0, or -EFAULT when {@code regs} is not the arch's struct. */
    int getRegs(V vcpu, Object regs);

    /** kvm_arch_vcpu_ioctl_set_regs(). */
    int setRegs(V vcpu, Object regs);

    /** kvm_arch_vcpu_ioctl(): what kvm_vcpu_ioctl() does not know; vcpu->mutex held. */
    default long vcpuIoctl(V vcpu, int cmd, Object arg) {
        return Errno.EINVAL.neg();
    }
}
