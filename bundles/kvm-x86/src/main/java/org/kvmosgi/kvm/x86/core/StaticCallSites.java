package org.kvmosgi.kvm.x86.core;

import org.kvmosgi.kvm.api.x86.KvmVcpu;

/**
 * The static_call sites of the exit path, one method per op: what {@link KvmX86OpsTable}
 * calls in the static_call style. Its only subclass is {@link StaticCallTemplate}, defined
 * as a hidden class at each kvm_ops_update(), so C1 and C2 bind the core's call to it
 * statically (class hierarchy analysis). The methods are public: with package-private
 * ones C1 did not bind them (seen with -XX:+PrintInlining).
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
