package org.kvmosgi.kvm.api;

/** struct kvm_mp_state: the argument of KVM_GET_MP_STATE and KVM_SET_MP_STATE. */
public final class KvmMpState {
    public static final int KVM_MP_STATE_RUNNABLE = 0, KVM_MP_STATE_UNINITIALIZED = 1, KVM_MP_STATE_INIT_RECEIVED = 2,
            KVM_MP_STATE_HALTED = 3, KVM_MP_STATE_SIPI_RECEIVED = 4;

    public int mpState;

    public KvmMpState(int mpState) {
        this.mpState = mpState;
    }
}
