package org.kvmosgi.kvm.ppc.api;

import org.kvmosgi.kvm.api.generic.Kvm;

/** struct kvm on Book3S: the generic part, kvm->arch.kvm_ops, and what HV/PR keep in kvm->arch. */
public final class KvmPpcVm extends Kvm<KvmPpcVcpu> {
    /** kvm->arch.kvm_ops: the implementation that runs this VM (set before init_vm). */
    public volatile KvmppcOps ops;
    /**
     * kvm->arch.kvm_ops->owner as KVM_CREATE_VM pinned it: the one instance of kvm-hv or
     * kvm-pr whose text {@link #ops} is. kvm.ko checks it before each call through
     * {@link #ops}: after a forced unload of that module the call would run freed text.
     */
    public volatile org.kvmosgi.kernel.api.ModuleInstance opsModule;
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
