package org.kvmosgi.kvm.ppc.api;

/** struct kvm_enable_cap, the argument of KVM_ENABLE_CAP. */
public final class KvmEnableCap {
    public int cap;
    public int flags;
    public final long[] args = new long[4];

    public KvmEnableCap() {}

    public KvmEnableCap(int cap) {
        this.cap = cap;
    }
}
