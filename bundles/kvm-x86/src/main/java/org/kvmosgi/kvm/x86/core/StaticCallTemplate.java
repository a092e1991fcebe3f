package org.kvmosgi.kvm.x86.core;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import org.kvmosgi.kvm.api.dispatch.StaticCall;
import org.kvmosgi.kvm.api.x86.KvmVcpu;

/**
 * The patched call instructions of the static_call style. Never loaded as itself: its
 * class file is defined once per kvm load as a hidden class whose class data is the list
 * of the sites' invokers ({@link KvmX86OpsTable}), so each load has its own constants
 * and nothing survives an unload. The JIT folds a static final MethodHandle and inlines
 * through a MutableCallSite's current target, recompiling when kvm_ops_update() or
 * vendor exit retargets it: the call costs what a direct call costs, as static_call's
 * patched instruction does. An instance field would not be folded.
 */
final class StaticCallTemplate implements StaticCallSites {
    /** Indexes into the class data, in {@link KvmX86OpsTable}'s site order. */
    static final int VCPU_RUN = 0, HANDLE_EXIT = 1, SKIP = 2, GET_MSR = 3, SET_MSR = 4, PATCH_HYPERCALL = 5,
            SET_HV_TIMER = 6, CANCEL_HV_TIMER = 7, GET_MT_MASK = 8;

    private static final MethodHandle VCPU_RUN_CALL = site(VCPU_RUN);
    private static final MethodHandle HANDLE_EXIT_CALL = site(HANDLE_EXIT);
    private static final MethodHandle SKIP_CALL = site(SKIP);
    private static final MethodHandle GET_MSR_CALL = site(GET_MSR);
    private static final MethodHandle SET_MSR_CALL = site(SET_MSR);
    private static final MethodHandle PATCH_HYPERCALL_CALL = site(PATCH_HYPERCALL);
    private static final MethodHandle SET_HV_TIMER_CALL = site(SET_HV_TIMER);
    private static final MethodHandle CANCEL_HV_TIMER_CALL = site(CANCEL_HV_TIMER);
    private static final MethodHandle GET_MT_MASK_CALL = site(GET_MT_MASK);

    private static MethodHandle site(int index) {
        return StaticCall.invoker(MethodHandles.lookup(), index);
    }

    @Override
    public int vcpuRun(KvmVcpu vcpu, boolean forceImmediateExit) {
        try {
            return (int) VCPU_RUN_CALL.invokeExact(vcpu, forceImmediateExit);
        } catch (Throwable t) {
            throw StaticCall.rethrow(t);
        }
    }

    @Override
    public int handleExit(KvmVcpu vcpu, int fastpath) {
        try {
            return (int) HANDLE_EXIT_CALL.invokeExact(vcpu, fastpath);
        } catch (Throwable t) {
            throw StaticCall.rethrow(t);
        }
    }

    @Override
    public int skipEmulatedInstruction(KvmVcpu vcpu) {
        try {
            return (int) SKIP_CALL.invokeExact(vcpu);
        } catch (Throwable t) {
            throw StaticCall.rethrow(t);
        }
    }

    @Override
    public int getMsr(KvmVcpu vcpu, int msr, long[] data) {
        try {
            return (int) GET_MSR_CALL.invokeExact(vcpu, msr, data);
        } catch (Throwable t) {
            throw StaticCall.rethrow(t);
        }
    }

    @Override
    public int setMsr(KvmVcpu vcpu, int msr, long data) {
        try {
            return (int) SET_MSR_CALL.invokeExact(vcpu, msr, data);
        } catch (Throwable t) {
            throw StaticCall.rethrow(t);
        }
    }

    @Override
    public void patchHypercall(byte[] insn) {
        try {
            PATCH_HYPERCALL_CALL.invokeExact(insn);
        } catch (Throwable t) {
            throw StaticCall.rethrow(t);
        }
    }

    @Override
    public int setHvTimer(KvmVcpu vcpu, long deadline, boolean[] expired) {
        try {
            return (int) SET_HV_TIMER_CALL.invokeExact(vcpu, deadline, expired);
        } catch (Throwable t) {
            throw StaticCall.rethrow(t);
        }
    }

    @Override
    public void cancelHvTimer(KvmVcpu vcpu) {
        try {
            CANCEL_HV_TIMER_CALL.invokeExact(vcpu);
        } catch (Throwable t) {
            throw StaticCall.rethrow(t);
        }
    }

    @Override
    public long getMtMask(KvmVcpu vcpu, long gfn, boolean isMmio) {
        try {
            return (long) GET_MT_MASK_CALL.invokeExact(vcpu, gfn, isMmio);
        } catch (Throwable t) {
            throw StaticCall.rethrow(t);
        }
    }
}
