package org.kvmosgi.kvm.ppc.api;

/**
 * struct kvmppc_ops: what kvm-hv and kvm-pr plug into kvm.ko through the
 * {@code kvmppc_hv_ops}/{@code kvmppc_pr_ops} pointers. Return values follow the kernel:
 * 0 or -errno.
 */
public interface KvmppcOps {
    /** ops->owner: the module whose code this is (pinned by every VM that uses it). */
    String owner();

    /** KVM_VM_PPC_HV or KVM_VM_PPC_PR: the kind of VM these ops run. */
    int vmType();

    /** kvmppc_core_init_vm. */
    int initVm(KvmPpcVm kvm);

    /** kvmppc_core_destroy_vm. */
    void destroyVm(KvmPpcVm kvm);

    /** kvmppc_core_vcpu_create. */
    int vcpuCreate(KvmPpcVcpu vcpu);

    /** kvmppc_core_vcpu_free. */
    void vcpuFree(KvmPpcVcpu vcpu);

    /**
     * vcpu_run: runs the guest until an exit user space must see (kvm_run.exit_reason set,
     * returns 0) or an error (-errno).
     */
    int vcpuRun(KvmPpcVcpu vcpu);

    /** hash_v3_possible (HV only; PR: not set). */
    default boolean hashV3Possible() {
        return false;
    }

    /** enable_nested: null kvm probes; 0 when nested HV is possible (PR: not set, -ENODEV). */
    default int enableNested(KvmPpcVm kvm) {
        return -19;
    }
}
