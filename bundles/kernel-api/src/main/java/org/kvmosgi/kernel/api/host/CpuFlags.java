package org.kvmosgi.kernel.api.host;

/**
 * Flag names a host profile gives its CPUs: /proc/cpuinfo's names for CPU features,
 * and descriptive names for firmware settings the kernel reads from MSRs or the
 * device tree.
 */
public final class CpuFlags {
    /** Intel VT-x (CPUID.1:ECX.VMX). */
    public static final String VMX = "vmx";
    /** MSR_IA32_FEAT_CTL locked with VMX outside SMX enabled: the BIOS turned VT-x on. */
    public static final String FEAT_CTL_VMX_ENABLED = "feat_ctl_vmx_enabled";
    /** The VMX preemption timer (a usable one). */
    public static final String VMX_PREEMPTION_TIMER = "vmx_preemption_timer";
    /** AMD-V (CPUID 0x80000001:ECX.SVM). */
    public static final String SVM = "svm";
    /** Nested page tables / EPT. */
    public static final String NPT = "npt";
    public static final String EPT = "ept";
    /** POWER: the broadcast TLB invalidation instruction is usable. */
    public static final String TLBIE = "tlbie";
    /** POWER: running in hypervisor mode (bare metal, MSR[HV]). */
    public static final String HVMODE = "hvmode";
    /** POWER9 and later: radix MMU in use. */
    public static final String RADIX = "radix";
    /** POWER: hashed page table MMU in use. */
    public static final String HPT = "hpt";
    /** POWER9 or later. */
    public static final String ARCH_3_00 = "arch_3_00";

    private CpuFlags() {}
}
