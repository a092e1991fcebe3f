package org.kvmosgi.kvm.api.x86;

/**
 * The symbols kvm.ko exports, by name, and the types their objects have. Vendors take
 * them from their ModuleContext at init and keep the objects in fields, so no exit
 * looks anything up.
 */
public final class KvmSymbols {
    public static final String KVM_INIT = "kvm_init";
    public static final String KVM_EXIT = "kvm_exit";
    public static final String KVM_X86_VENDOR_INIT = "kvm_x86_vendor_init";
    public static final String KVM_X86_VENDOR_EXIT = "kvm_x86_vendor_exit";
    public static final String KVM_X86_OPS = "kvm_x86_ops";
    public static final String KVM_EMULATE_CPUID = "kvm_emulate_cpuid";
    public static final String KVM_EMULATE_HALT = "kvm_emulate_halt";
    public static final String KVM_EMULATE_HYPERCALL = "kvm_emulate_hypercall";
    public static final String KVM_EMULATE_RDMSR = "kvm_emulate_rdmsr";
    public static final String KVM_EMULATE_WRMSR = "kvm_emulate_wrmsr";
    public static final String KVM_EMULATE_INSTRUCTION = "kvm_emulate_instruction";
    public static final String KVM_FAST_PIO = "kvm_fast_pio";
    public static final String KVM_SKIP_EMULATED_INSTRUCTION = "kvm_skip_emulated_instruction";
    public static final String KVM_GET_CR8 = "kvm_get_cr8";
    public static final String KVM_SET_CR8 = "kvm_set_cr8";
    public static final String KVM_COMPLETE_INSN_GP = "kvm_complete_insn_gp";
    public static final String KVM_QUEUE_EXCEPTION = "kvm_queue_exception";
    public static final String KVM_MMU_PAGE_FAULT = "kvm_mmu_page_fault";
    public static final String KVM_GET_KVM = "kvm_get_kvm";
    public static final String KVM_PUT_KVM = "kvm_put_kvm";
    public static final String KVM_PAGE_TRACK_REGISTER_NOTIFIER = "kvm_page_track_register_notifier";
    public static final String KVM_PAGE_TRACK_UNREGISTER_NOTIFIER = "kvm_page_track_unregister_notifier";

    private KvmSymbols() {}

    /** The model's kmem_cache for vCPUs: allocates the vendor's vCPU structure. */
    @FunctionalInterface
    public interface VcpuFactory {
        KvmVcpu create(KvmVm kvm, int vcpuId);
    }

    /** kvm_init(vcpu_cache, module): {@code module} owns /dev/kvm and the VM and vCPU fds. */
    @FunctionalInterface
    public interface KvmInit {
        int kvmInit(VcpuFactory vcpuCache, String module);
    }

    /** A function of no arguments and no result: kvm_exit, kvm_x86_vendor_exit. */
    @FunctionalInterface
    public interface VoidFn {
        void call();
    }

    /** kvm_x86_vendor_init(ops): 0 or -errno. */
    @FunctionalInterface
    public interface VendorInit {
        int vendorInit(KvmX86InitOps ops);
    }

    /** int fn(struct kvm_vcpu *): the emulation helpers exit handlers call. */
    @FunctionalInterface
    public interface VcpuFn {
        int call(KvmVcpu vcpu);
    }

    /** int fn(vcpu, int): kvm_complete_insn_gp(vcpu, err), kvm_emulate_instruction(vcpu, emulation_type). */
    @FunctionalInterface
    public interface VcpuIntFn {
        int call(KvmVcpu vcpu, int arg);
    }

    /** kvm_queue_exception(vcpu, nr). */
    @FunctionalInterface
    public interface QueueException {
        void queue(KvmVcpu vcpu, int vector);
    }

    /** kvm_fast_pio(vcpu, size, port, in). */
    @FunctionalInterface
    public interface FastPio {
        int fastPio(KvmVcpu vcpu, int size, int port, boolean in);
    }

    /** kvm_get_cr8(vcpu). */
    @FunctionalInterface
    public interface GetCr8 {
        long get(KvmVcpu vcpu);
    }

    /** kvm_set_cr8(vcpu, cr8): 0 or 1 (#GP). */
    @FunctionalInterface
    public interface SetCr8 {
        int set(KvmVcpu vcpu, long cr8);
    }

    /** kvm_mmu_page_fault(vcpu, gpa, error_code): 1, 0 (user space) or -errno. */
    @FunctionalInterface
    public interface MmuPageFault {
        int fault(KvmVcpu vcpu, long gpa, long errorCode);
    }

    /**
     * kvm_init(arch, vcpu cache, module) of the library layout: kvm.ko holds virt/kvm
     * only, so the vendor module, which carries arch/x86, hands it the kvm_arch_* hooks.
     */
    @FunctionalInterface
    public interface KvmInitArch {
        int kvmInit(org.kvmosgi.kvm.api.generic.KvmArch<KvmVm, KvmVcpu> arch, String module);
    }

    /** struct kvm_page_track_notifier_node: what a page-track user (kvmgt) registers on a VM. */
    public interface PageTrackNotifier {
        /** track_remove_region: the memslot holding these frames goes away. */
        void trackRemoveRegion(long gfn, long nrPages);
    }

    /** kvm_page_track_register_notifier(kvm, n) / kvm_page_track_unregister_notifier(kvm, n). */
    @FunctionalInterface
    public interface PageTrackNotifierFn {
        int call(KvmVm kvm, PageTrackNotifier n);
    }

    /** kvm_get_kvm / kvm_put_kvm. */
    @FunctionalInterface
    public interface KvmRef {
        void call(KvmVm kvm);
    }

    /** EMULTYPE_TRAP_UD: emulate the instruction that raised #UD (e.g. the other vendor's hypercall). */
    public static final int EMULTYPE_TRAP_UD = 1 << 1;
    /** EMULTYPE_SKIP: only decode the instruction and move RIP past it (SVM without NRIPS). */
    public static final int EMULTYPE_SKIP = 1 << 2;
    /** PFERR_RSVD_MASK: the fault is on an MMIO SPTE (EPT misconfig / NPF with RSVD). */
    public static final long PFERR_RSVD_MASK = 1L << 3;
    public static final long PFERR_WRITE_MASK = 1L << 1;
}
