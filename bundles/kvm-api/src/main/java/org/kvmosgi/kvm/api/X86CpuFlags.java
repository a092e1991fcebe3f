package org.kvmosgi.kvm.api;

/**
 * CPU flag names KVM's vendor modules read beyond those of the kernel's
 * {@code org.kvmosgi.kernel.api.host.CpuFlags}; /proc/cpuinfo spellings.
 */
public final class X86CpuFlags {
    /** VMX: virtual processor IDs. */
    public static final String VPID = "vpid";
    /** VMX: TPR shadow (CR8 accesses stay in the guest with an in-kernel LAPIC). */
    public static final String TPR_SHADOW = "tpr_shadow";
    /** SVM: next-RIP saving on #VMEXIT (X86_FEATURE_NRIPS). */
    public static final String NRIPS = "nrip_save";
    /** SVM: AVIC. */
    public static final String AVIC = "avic";

    private X86CpuFlags() {}
}
