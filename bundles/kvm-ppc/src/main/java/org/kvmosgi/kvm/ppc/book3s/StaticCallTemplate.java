package org.kvmosgi.kvm.ppc.book3s;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import org.kvmosgi.kvm.api.dispatch.StaticCall;
import org.kvmosgi.kvm.ppc.api.KvmPpcVcpu;

/**
 * The patched call instructions of the static_call style on Book3S. Never loaded as
 * itself: its class file is defined once per kvm load as a hidden class whose class data
 * is the list of the sites' invokers ({@link StaticCall#define}), so each load has its own
 * constants and nothing survives an unload. The JIT folds a static final MethodHandle and
 * inlines through the MutableCallSite's current target.
 */
final class StaticCallTemplate implements StaticCallSites {
    /** Indexes into the class data, in {@link KvmppcCalls}'s site order. */
    static final int HV_VCPU_RUN = 0, PR_VCPU_RUN = 1, HV_HASH_V3_POSSIBLE = 2;

    private static final MethodHandle HV_VCPU_RUN_CALL = StaticCall.invoker(MethodHandles.lookup(), HV_VCPU_RUN);
    private static final MethodHandle PR_VCPU_RUN_CALL = StaticCall.invoker(MethodHandles.lookup(), PR_VCPU_RUN);
    private static final MethodHandle HV_HASH_V3_POSSIBLE_CALL =
            StaticCall.invoker(MethodHandles.lookup(), HV_HASH_V3_POSSIBLE);

    @Override
    public int hvVcpuRun(KvmPpcVcpu vcpu) {
        try {
            return (int) HV_VCPU_RUN_CALL.invokeExact(vcpu);
        } catch (Throwable t) {
            throw StaticCall.rethrow(t);
        }
    }

    @Override
    public int prVcpuRun(KvmPpcVcpu vcpu) {
        try {
            return (int) PR_VCPU_RUN_CALL.invokeExact(vcpu);
        } catch (Throwable t) {
            throw StaticCall.rethrow(t);
        }
    }

    @Override
    public boolean hvHashV3Possible() {
        try {
            return (boolean) HV_HASH_V3_POSSIBLE_CALL.invokeExact();
        } catch (Throwable t) {
            throw StaticCall.rethrow(t);
        }
    }
}
