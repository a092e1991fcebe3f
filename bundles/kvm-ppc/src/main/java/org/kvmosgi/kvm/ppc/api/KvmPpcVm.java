package org.kvmosgi.kvm.ppc.api;

import org.kvmosgi.kvm.api.generic.Kvm;

/** struct kvm on Book3S: the generic part, kvm->arch.kvm_ops, and what HV/PR keep in kvm->arch. */
public final class KvmPpcVm extends Kvm<KvmPpcVcpu> {
    /** kvm->arch.kvm_ops: the implementation that runs this VM (set before init_vm). */
    public volatile KvmppcOps ops;
    /** KVM_VM_PPC_HV or _PR, fixed at KVM_CREATE_VM (is_kvmppc_hv_enabled()): which of kvm.ko's two call sites runs this VM. */
    public int type;
    /** kvm->arch.lpid (HV) */
    public int lpid;
    /** What the implementation allocated for this VM (kvm->arch), freed by destroy_vm. */
    public volatile Object arch;

    public KvmPpcVm(int id) {
        super(id, new KvmPpcVcpu[PpcKvm.KVM_MAX_VCPUS]);
    }
}
