package org.kvmosgi.kvm.ppc.api;

/** kvmppc_handle_store (powerpc.c, EXPORT_SYMBOL_GPL): returns EMULATE_DO_MMIO. */
@FunctionalInterface
public interface HandleStore {
    int handleStore(KvmPpcVcpu vcpu, long gpa, long value, int bytes);
}
