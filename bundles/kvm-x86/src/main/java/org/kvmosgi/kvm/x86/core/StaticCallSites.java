package org.kvmosgi.kvm.x86.core;

import org.kvmosgi.kvm.api.x86.KvmVcpu;

/**
 * The static_call sites of the exit path, one method per op: what {@link KvmX86OpsTable}
 * calls in the static_call style. Its one implementation is {@link StaticCallTemplate}
 * defined as a hidden class per kvm load, so the call through it stays monomorphic.
 */
interface StaticCallSites {
    int vcpuRun(KvmVcpu vcpu, boolean forceImmediateExit);

    int handleExit(KvmVcpu vcpu, int fastpath);

    int skipEmulatedInstruction(KvmVcpu vcpu);

    int getMsr(KvmVcpu vcpu, int msr, long[] data);

    int setMsr(KvmVcpu vcpu, int msr, long data);

    void patchHypercall(byte[] insn);

    int setHvTimer(KvmVcpu vcpu, long deadline, boolean[] expired);

    void cancelHvTimer(KvmVcpu vcpu);

    long getMtMask(KvmVcpu vcpu, long gfn, boolean isMmio);
}
