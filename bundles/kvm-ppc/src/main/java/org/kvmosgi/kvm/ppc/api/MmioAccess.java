package org.kvmosgi.kvm.ppc.api;

/**
 * kvmppc_handle_load and kvmppc_handle_store together, as a vendor uses them: a guest
 * access outside its memory is handed to kvm.ko, which fills kvm_run.mmio and makes the
 * vCPU exit with KVM_EXIT_MMIO; the next KVM_RUN completes a load into its register.
 */
public interface MmioAccess extends HandleLoad, HandleStore {
    /** The two exports of kvm.ko as one. */
    static MmioAccess of(HandleLoad load, HandleStore store) {
        return new MmioAccess() {
            @Override
            public int handleLoad(KvmPpcVcpu vcpu, long gpa, int rt, int bytes, boolean signExtend) {
                return load.handleLoad(vcpu, gpa, rt, bytes, signExtend);
            }

            @Override
            public int handleStore(KvmPpcVcpu vcpu, long gpa, long value, int bytes) {
                return store.handleStore(vcpu, gpa, value, bytes);
            }
        };
    }
}
