package org.kvmosgi.kvm.ppc.book3s;

import org.kvmosgi.kvm.ppc.api.KvmPpcVcpu;

/**
 * kvm.ko's static_call sites on Book3S, one method per site: what {@link KvmppcCalls}
 * calls in the static_call style. Its only subclass is {@link StaticCallTemplate}, defined
 * as a hidden class each time kvm-hv or kvm-pr sets or clears its ops pointer, so the JIT
 * binds the core's call to it statically while it is the only one. The methods are
 * public: with package-private ones C1 did not bind them (seen with -XX:+PrintInlining).
 */
abstract class StaticCallSites {
    public abstract int hvVcpuRun(KvmPpcVcpu vcpu);

    public abstract int prVcpuRun(KvmPpcVcpu vcpu);

    public abstract boolean hvHashV3Possible();
}
