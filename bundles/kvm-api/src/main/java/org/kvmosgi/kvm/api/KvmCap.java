package org.kvmosgi.kvm.api;

/** KVM_CHECK_EXTENSION capability numbers (include/uapi/linux/kvm.h). */
public final class KvmCap {
    public static final int KVM_CAP_IRQCHIP = 0;
    public static final int KVM_CAP_HLT = 1;
    public static final int KVM_CAP_USER_MEMORY = 3;
    public static final int KVM_CAP_EXT_CPUID = 7;
    public static final int KVM_CAP_NR_VCPUS = 9;
    public static final int KVM_CAP_NR_MEMSLOTS = 10;
    public static final int KVM_CAP_MP_STATE = 14;
    public static final int KVM_CAP_SYNC_MMU = 16;
    public static final int KVM_CAP_DESTROY_MEMORY_REGION_WORKS = 21;
    public static final int KVM_CAP_JOIN_MEMORY_REGIONS_WORKS = 30;
    public static final int KVM_CAP_INTERNAL_ERROR_DATA = 40;
    public static final int KVM_CAP_MAX_VCPUS = 66;
    public static final int KVM_CAP_READONLY_MEM = 81;
    public static final int KVM_CAP_CHECK_EXTENSION_VM = 105;
    public static final int KVM_CAP_MAX_VCPU_ID = 128;
    public static final int KVM_CAP_IMMEDIATE_EXIT = 136;
    public static final int KVM_CAP_BINARY_STATS_FD = 203;

    private KvmCap() {}
}
