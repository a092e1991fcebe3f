package org.kvmosgi.kvm.ppc.api;

import org.kvmosgi.kvm.api.KvmExitReason;
import org.kvmosgi.kvm.api.ppc.KvmPpc;

/**
 * PowerPC values of uapi/linux/kvm.h and asm/hvcall.h, and the names of kvm.ko's exports
 * on Book3S. The user-space ABI (ioctls, exit reasons, KVM_VM_PPC_*, kvm_regs,
 * kvm_enable_cap, papr_hcall) is kvm-api's; the constants here repeat it for the kernel side.
 */
public final class PpcKvm {
    // KVM_CREATE_VM machine types (uapi/linux/kvm.h)
    public static final int KVM_VM_PPC_HV = KvmPpc.KVM_VM_PPC_HV;
    public static final int KVM_VM_PPC_PR = KvmPpc.KVM_VM_PPC_PR;

    // exit reasons PowerPC adds
    public static final int KVM_EXIT_OSI = KvmExitReason.KVM_EXIT_OSI;
    public static final int KVM_EXIT_PAPR_HCALL = KvmExitReason.KVM_EXIT_PAPR_HCALL;

    // capabilities (uapi/linux/kvm.h)
    public static final int KVM_CAP_PPC_SEGSTATE = 43;
    public static final int KVM_CAP_PPC_PAIRED_SINGLES = 48;
    public static final int KVM_CAP_PPC_OSI = 52;
    public static final int KVM_CAP_PPC_UNSET_IRQ = 53;
    public static final int KVM_CAP_ENABLE_CAP = 54;
    public static final int KVM_CAP_PPC_GET_PVINFO = 57;
    public static final int KVM_CAP_PPC_IRQ_LEVEL = 58;
    public static final int KVM_CAP_PPC_SMT = 64;
    public static final int KVM_CAP_PPC_RMA = 65;
    public static final int KVM_CAP_PPC_HIOR = 67;
    public static final int KVM_CAP_PPC_PAPR = KvmPpc.KVM_CAP_PPC_PAPR;
    public static final int KVM_CAP_SW_TLB = 69;
    public static final int KVM_CAP_ONE_REG = 70;
    public static final int KVM_CAP_PPC_GET_SMMU_INFO = 78;
    public static final int KVM_CAP_PPC_MMU_RADIX = 134;
    public static final int KVM_CAP_PPC_MMU_HASH_V3 = 135;
    public static final int KVM_CAP_PPC_NESTED_HV = 160;


    /** kvm_run.papr_hcall: nr, ret, args[9] (u64 each) in the exit union. */
    public static final int PAPR_HCALL_NR = KvmPpc.PAPR_HCALL_NR;
    public static final int PAPR_HCALL_RET = KvmPpc.PAPR_HCALL_RET;
    public static final int PAPR_HCALL_ARGS = KvmPpc.PAPR_HCALL_ARGS;

    /** ppc64 kernels use 64K pages: memory slots are aligned to them. */
    public static final int PAGE_SIZE = KvmPpc.PAGE_SIZE;
    /** KVM_GET_VCPU_MMAP_SIZE on Book3S: kvm_run and the coalesced MMIO page. */
    public static final int VCPU_MMAP_SIZE = 2 * PAGE_SIZE;
    /** KVM_MAX_VCPUS of the model on Book3S. */
    public static final int KVM_MAX_VCPUS = 16;
    /** KVM_USER_MEM_SLOTS on PowerPC. */
    public static final int KVM_USER_MEM_SLOTS = 512;

    // hypervisor calls (asm/hvcall.h)
    public static final long H_SUCCESS = KvmPpc.H_SUCCESS;
    public static final long H_FUNCTION = KvmPpc.H_FUNCTION;
    public static final long H_PARAMETER = KvmPpc.H_PARAMETER;
    public static final long H_GET_TERM_CHAR = 0x54;
    public static final long H_PUT_TERM_CHAR = KvmPpc.H_PUT_TERM_CHAR;
    public static final long H_CEDE = 0xE0;
    public static final long H_RTAS = KvmPpc.H_RTAS;
    public static final long H_SET_PARTITION_TABLE = 0xF800;

    // kvm.ko's exports on Book3S (powerpc.c), GPL-only
    public static final String KVMPPC_HV_OPS = "kvmppc_hv_ops";
    public static final String KVMPPC_PR_OPS = "kvmppc_pr_ops";
    public static final String KVMPPC_HANDLE_LOAD = "kvmppc_handle_load";
    public static final String KVMPPC_HANDLE_STORE = "kvmppc_handle_store";

    // enum emulation_result (asm/kvm_ppc.h)
    public static final int EMULATE_DONE = 0;
    public static final int EMULATE_DO_MMIO = 2;
    public static final int EMULATE_FAIL = 3;

    /**
     * A CPU flag the profiles may give a pseries LPAR whose hypervisor implements
     * H_SET_PARTITION_TABLE (KVM mode enabled for the LPAR): nested KVM-HV is possible.
     */
    public static final String FLAG_PAPR_NESTED = "papr_nested_hv";

    private PpcKvm() {}

    /** The name of an exit reason (kvm-api names PowerPC's too). */
    public static String exitName(int reason) {
        return KvmExitReason.name(reason);
    }
}
