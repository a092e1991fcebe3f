package org.kvmosgi.kvm.ppc.api;

/** kvmppc_handle_load (powerpc.c, EXPORT_SYMBOL_GPL): returns EMULATE_DO_MMIO. */
@FunctionalInterface
public interface HandleLoad {
    int handleLoad(KvmPpcVcpu vcpu, long gpa, int rt, int bytes, boolean signExtend);
}
