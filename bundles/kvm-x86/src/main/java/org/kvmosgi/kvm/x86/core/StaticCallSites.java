package org.kvmosgi.kvm.x86.core;

import org.kvmosgi.kvm.api.x86.KvmVcpu;

/**
 * The static_call sites of the exit path, one method per op: what {@link KvmX86OpsTable}
 * calls in the static_call style. Its only subclass is {@link StaticCallTemplate}, defined
 * as a hidden class at each kvm_ops_update(); an abstract class rather than an interface
 * because C1 binds a call with one loaded subclass statically (class hierarchy analysis)
 * but dispatches every interface call through the itable.
 */
abstract class StaticCallSites {
    public abstract int vcpuRun(KvmVcpu vcpu, boolean forceImmediateExit);

    public abstract int handleExit(KvmVcpu vcpu, int fastpath);

    public abstract int skipEmulatedInstruction(KvmVcpu vcpu);

    public abstract int getMsr(KvmVcpu vcpu, int msr, long[] data);

    public abstract int setMsr(KvmVcpu vcpu, int msr, long data);

    public abstract void patchHypercall(byte[] insn);

    public abstract int setHvTimer(KvmVcpu vcpu, long deadline, boolean[] expired);

    public abstract void cancelHvTimer(KvmVcpu vcpu);

    public abstract long getMtMask(KvmVcpu vcpu, long gfn, boolean isMmio);
}
