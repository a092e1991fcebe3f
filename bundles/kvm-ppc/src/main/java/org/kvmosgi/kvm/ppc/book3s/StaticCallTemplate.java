package org.kvmosgi.kvm.ppc.book3s;

import java.lang.invoke.MethodHandles;
import org.kvmosgi.kvm.api.dispatch.StaticCall;
import org.kvmosgi.kvm.ppc.api.KvmPpcVcpu;
import org.kvmosgi.kvm.ppc.api.KvmppcOps;

/**
 * The patched call instructions of the static_call style on Book3S. Never loaded as
 * itself: the first call after each change of kvmppc_hv_ops or kvmppc_pr_ops defines its class file as a hidden
 * class whose class data is both pointers' ops ({@link StaticCall.Template#patch}), read into static
 * finals that the JIT folds: each call binds directly to the module's method, and an
 * unset pointer's test folds away.
 */
final class StaticCallTemplate extends StaticCallSites {
    /** Indexes into the class data, as {@link KvmppcCalls} lists them. */
    static final int HV = 0, PR = 1;

    private static final KvmppcOps HV_OPS = StaticCall.target(MethodHandles.lookup(), HV, KvmppcOps.class);
    private static final KvmppcOps PR_OPS = StaticCall.target(MethodHandles.lookup(), PR, KvmppcOps.class);

    @Override
    public int hvVcpuRun(KvmPpcVcpu vcpu) {
        if (HV_OPS == null) {
            throw StaticCall.bug("kvmppc_hv_ops.vcpu_run");
        }
        return HV_OPS.vcpuRun(vcpu);
    }

    @Override
    public int prVcpuRun(KvmPpcVcpu vcpu) {
        if (PR_OPS == null) {
            throw StaticCall.bug("kvmppc_pr_ops.vcpu_run");
        }
        return PR_OPS.vcpuRun(vcpu);
    }

    /** DEFINE_STATIC_CALL_RET0: without HV, __static_call_return0. */
    @Override
    public boolean hvHashV3Possible() {
        return HV_OPS != null && HV_OPS.hashV3Possible();
    }
}
