package org.kvmosgi.kvm.api.ppc;

import org.kvmosgi.kvm.api.KvmRunLayout;

/**
 * What a PowerPC VMM needs beyond the generic ABI: KVM_CREATE_VM's machine types and
 * KVM_CAP_PPC_PAPR (uapi/linux/kvm.h), kvm_run.papr_hcall's layout, the MSR bits a
 * 64-bit little-endian guest starts with (asm/reg.h) and the PAPR hypercalls a console
 * and a power-off use (asm/hvcall.h, which QEMU and kvmtool copy).
 */
public final class KvmPpc {
    // KVM_CREATE_VM machine types
    public static final int KVM_VM_PPC_HV = 1;
    public static final int KVM_VM_PPC_PR = 2;

    public static final int KVM_CAP_PPC_PAPR = 68;

    /** kvm_run.papr_hcall: nr, ret, args[9] (u64 each) in the exit union. */
    public static final int PAPR_HCALL_NR = KvmRunLayout.EXIT_UNION;
    public static final int PAPR_HCALL_RET = KvmRunLayout.EXIT_UNION + 8;
    public static final int PAPR_HCALL_ARGS = KvmRunLayout.EXIT_UNION + 16;

    /** ppc64 kernels use 64K pages: memory slots are aligned to them. */
    public static final int PAGE_SIZE = 65536;

    /** MSR_SF (64-bit mode) and MSR_LE (little-endian). */
    public static final long MSR_SF = 1L << 63;
    public static final long MSR_LE = 1L;

    public static final long H_SUCCESS = 0;
    public static final long H_FUNCTION = -2;
    public static final long H_PARAMETER = -4;
    public static final long H_PUT_TERM_CHAR = 0x58;
    /** H_RTAS: the guest's RTAS call; kvmtool treats it as power-off, as its tests agree. */
    public static final long H_RTAS = 0xF000;

    private KvmPpc() {}
}
