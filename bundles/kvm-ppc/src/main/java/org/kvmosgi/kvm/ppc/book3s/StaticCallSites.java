package org.kvmosgi.kvm.ppc.book3s;

import org.kvmosgi.kvm.ppc.api.KvmPpcVcpu;

/**
 * kvm.ko's static_call sites on Book3S, one method per site: what {@link KvmppcCalls}
 * calls in the static_call style. Its one implementation is {@link StaticCallTemplate}
 * defined as a hidden class per kvm load, so the call through it stays monomorphic.
 */
interface StaticCallSites {
    int hvVcpuRun(KvmPpcVcpu vcpu);

    int prVcpuRun(KvmPpcVcpu vcpu);

    boolean hvHashV3Possible();
}
