package org.kvmosgi.kvm.x86.core;

import java.lang.invoke.MethodHandles;
import org.kvmosgi.kvm.api.dispatch.StaticCall;
import org.kvmosgi.kvm.api.x86.KvmVcpu;
import org.kvmosgi.kvm.api.x86.KvmX86Ops;

/**
 * The patched call instructions of the static_call style. Never loaded as itself: each
 * kvm_ops_update() defines its class file as a hidden class whose class data is the
 * vendor's ops and its optional functions ({@link StaticCall.Template#patch}), read into static
 * finals. The JIT folds them: each call binds directly to the vendor's method (the
 * receiver's exact class is known), an absent optional op's test folds to nothing
 * (static_call_cond) or 0 (__static_call_return0).
 */
final class StaticCallTemplate extends StaticCallSites {
    /** Indexes into the class data, as {@link KvmX86OpsTable#update} lists them. */
    static final int OPS = 0, SET_HV_TIMER = 1, CANCEL_HV_TIMER = 2, GET_MT_MASK = 3;

    private static final KvmX86Ops VENDOR = StaticCall.target(MethodHandles.lookup(), OPS, KvmX86Ops.class);
    private static final KvmX86Ops.SetHvTimer SET_HV_TIMER_FN =
            StaticCall.target(MethodHandles.lookup(), SET_HV_TIMER, KvmX86Ops.SetHvTimer.class);
    private static final KvmX86Ops.VcpuVoidOp CANCEL_HV_TIMER_FN =
            StaticCall.target(MethodHandles.lookup(), CANCEL_HV_TIMER, KvmX86Ops.VcpuVoidOp.class);
    private static final KvmX86Ops.GetMtMask GET_MT_MASK_FN =
            StaticCall.target(MethodHandles.lookup(), GET_MT_MASK, KvmX86Ops.GetMtMask.class);

    @Override
    public int vcpuRun(KvmVcpu vcpu, boolean forceImmediateExit) {
        return VENDOR.vcpuRun(vcpu, forceImmediateExit);
    }

    @Override
    public int handleExit(KvmVcpu vcpu, int fastpath) {
        return VENDOR.handleExit(vcpu, fastpath);
    }

    @Override
    public int skipEmulatedInstruction(KvmVcpu vcpu) {
        return VENDOR.skipEmulatedInstruction(vcpu);
    }

    @Override
    public int getMsr(KvmVcpu vcpu, int msr, long[] data) {
        return VENDOR.getMsr(vcpu, msr, data);
    }

    @Override
    public int setMsr(KvmVcpu vcpu, int msr, long data) {
        return VENDOR.setMsr(vcpu, msr, data);
    }

    @Override
    public void patchHypercall(byte[] insn) {
        VENDOR.patchHypercall(insn);
    }

    /** KVM_X86_OP_OPTIONAL_RET0 in effect: absent, __static_call_return0. */
    @Override
    public int setHvTimer(KvmVcpu vcpu, long deadline, boolean[] expired) {
        return SET_HV_TIMER_FN == null ? 0 : SET_HV_TIMER_FN.setHvTimer(vcpu, deadline, expired);
    }

    /** KVM_X86_OP_OPTIONAL: absent, static_call_cond makes the call nothing. */
    @Override
    public void cancelHvTimer(KvmVcpu vcpu) {
        if (CANCEL_HV_TIMER_FN != null) {
            CANCEL_HV_TIMER_FN.call(vcpu);
        }
    }

    /** KVM_X86_OP_OPTIONAL_RET0: absent, __static_call_return0. */
    @Override
    public long getMtMask(KvmVcpu vcpu, long gfn, boolean isMmio) {
        return GET_MT_MASK_FN == null ? 0 : GET_MT_MASK_FN.getMtMask(vcpu, gfn, isMmio);
    }
}
