package org.kvmosgi.kvm.ppc.api;

import org.kvmosgi.kvm.api.generic.Kvm;

/** struct kvm on Book3S: the generic part, kvm->arch.kvm_ops, and what HV/PR keep in kvm->arch. */
public final class KvmPpcVm extends Kvm<KvmPpcVcpu> {
    /** kvm->arch.kvm_ops: the implementation that runs this VM (set before init_vm). */
    public volatile KvmppcOps ops;
    /** kvm->arch.lpid (HV) */
    public int lpid;
    /** What the implementation allocated for this VM (kvm->arch), freed by destroy_vm. */
    public volatile Object arch;

    public KvmPpcVm(int id) {
        super(id, new KvmPpcVcpu[PpcKvm.KVM_MAX_VCPUS]);
    }
}
