package org.kvmosgi.kvm.ppc.book3s;

import org.kvmosgi.kvm.ppc.api.KvmPpcVcpu;

/**
 * kvm.ko's static_call sites on Book3S, one method per site: what {@link KvmppcCalls}
 * calls in the static_call style. Its only subclass is {@link StaticCallTemplate}, defined
 * as a hidden class each time kvm-hv or kvm-pr sets or clears its ops pointer; an abstract
 * class because C1 binds a call with one loaded subclass statically, never an interface call.
 */
abstract class StaticCallSites {
    public abstract int hvVcpuRun(KvmPpcVcpu vcpu);

    public abstract int prVcpuRun(KvmPpcVcpu vcpu);

    public abstract boolean hvHashV3Possible();
}
