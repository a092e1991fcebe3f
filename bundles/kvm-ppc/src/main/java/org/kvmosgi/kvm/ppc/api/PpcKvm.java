package org.kvmosgi.kvm.ppc.api;

import org.kvmosgi.kvm.api.KvmRunLayout;

/**
 * PowerPC values of uapi/linux/kvm.h and asm/hvcall.h, and the names of kvm.ko's exports
 * on Book3S. Generic numbers (ioctls, exit reasons, generic caps) stay in kvm-api.
 */
public final class PpcKvm {
    // KVM_CREATE_VM machine types (uapi/linux/kvm.h)
    public static final int KVM_VM_PPC_HV = 1;
    public static final int KVM_VM_PPC_PR = 2;

    // exit reasons PowerPC adds
    public static final int KVM_EXIT_OSI = 18;
    public static final int KVM_EXIT_PAPR_HCALL = 19;

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
    public static final int KVM_CAP_PPC_PAPR = 68;
    public static final int KVM_CAP_SW_TLB = 69;
    public static final int KVM_CAP_ONE_REG = 70;
    public static final int KVM_CAP_PPC_GET_SMMU_INFO = 78;
    public static final int KVM_CAP_PPC_MMU_RADIX = 134;
    public static final int KVM_CAP_PPC_MMU_HASH_V3 = 135;
    public static final int KVM_CAP_PPC_NESTED_HV = 160;

    /**
     * KVM_ENABLE_CAP: _IOW(KVMIO, 0xa3, struct kvm_enable_cap), encoded like kvm-api's
     * numbers (the model uses one ioctl encoding on every architecture); arg is a
     * {@link KvmEnableCap}.
     */
    public static final int KVM_ENABLE_CAP = (1 << 30) | (104 << 16) | (0xAE << 8) | 0xa3;

    /** kvm_run.papr_hcall: nr, ret, args[9] (u64 each) in the exit union. */
    public static final int PAPR_HCALL_NR = KvmRunLayout.EXIT_UNION;
    public static final int PAPR_HCALL_RET = KvmRunLayout.EXIT_UNION + 8;
    public static final int PAPR_HCALL_ARGS = KvmRunLayout.EXIT_UNION + 16;

    /** ppc64 kernels use 64K pages: memory slots are aligned to them. */
    public static final int PAGE_SIZE = 65536;
    /** KVM_GET_VCPU_MMAP_SIZE on Book3S: kvm_run and the coalesced MMIO page. */
    public static final int VCPU_MMAP_SIZE = 2 * PAGE_SIZE;
    /** KVM_MAX_VCPUS of the model on Book3S. */
    public static final int KVM_MAX_VCPUS = 16;
    /** KVM_USER_MEM_SLOTS on PowerPC. */
    public static final int KVM_USER_MEM_SLOTS = 512;

    // hypervisor calls (asm/hvcall.h)
    public static final long H_SUCCESS = 0;
    public static final long H_FUNCTION = -2;
    public static final long H_PARAMETER = -4;
    public static final long H_GET_TERM_CHAR = 0x54;
    public static final long H_PUT_TERM_CHAR = 0x58;
    public static final long H_CEDE = 0xE0;
    public static final long H_RTAS = 0xF000;
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

    /** The name of a PowerPC exit reason, else kvm-api's. */
    public static String exitName(int reason) {
        if (reason == KVM_EXIT_PAPR_HCALL) {
            return "KVM_EXIT_PAPR_HCALL";
        }
        if (reason == KVM_EXIT_OSI) {
            return "KVM_EXIT_OSI";
        }
        return org.kvmosgi.kvm.api.KvmExitReason.name(reason);
    }
}
