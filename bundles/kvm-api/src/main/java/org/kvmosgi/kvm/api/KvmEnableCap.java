package org.kvmosgi.kvm.api;

/** struct kvm_enable_cap (uapi/linux/kvm.h), the argument of {@link KvmIoctl#KVM_ENABLE_CAP}. */
public final class KvmEnableCap {
    public int cap;
    public int flags;
    public final long[] args = new long[4];

    public KvmEnableCap() {}

    public KvmEnableCap(int cap) {
        this.cap = cap;
    }
}
