package org.kvmosgi.kvm.api;

/**
 * ioctl numbers with the values of include/uapi/linux/kvm.h (x86 struct sizes), built
 * with the _IOC encoding of asm-generic/ioctl.h.
 */
public final class KvmIoctl {
    public static final int KVMIO = 0xAE;
    /** The API version KVM_GET_API_VERSION returns; it has not changed since 2.6.22. */
    public static final int KVM_API_VERSION = 12;

    private static final int IOC_NONE = 0, IOC_WRITE = 1, IOC_READ = 2, IOC_READ_WRITE = 3;

    static int ioc(int dir, int nr, int size) {
        return (dir << 30) | (size << 16) | (KVMIO << 8) | nr;
    }

    /** sizeof(struct kvm_userspace_memory_region). */
    public static final int SIZEOF_USERSPACE_MEMORY_REGION = 32;
    /** sizeof(struct kvm_regs) on x86: 18 u64. */
    public static final int SIZEOF_KVM_REGS = 144;

    // ioctls for /dev/kvm
    public static final int KVM_GET_API_VERSION = ioc(IOC_NONE, 0x00, 0);
    public static final int KVM_CREATE_VM = ioc(IOC_NONE, 0x01, 0);
    public static final int KVM_CHECK_EXTENSION = ioc(IOC_NONE, 0x03, 0);
    public static final int KVM_GET_VCPU_MMAP_SIZE = ioc(IOC_NONE, 0x04, 0);
    /** sizeof(struct kvm_cpuid2): the header; the entries follow it. Arg: {@link KvmCpuid2}. */
    public static final int KVM_GET_SUPPORTED_CPUID = ioc(IOC_READ_WRITE, 0x05, 8);

    // ioctls for VM fds
    public static final int KVM_CREATE_VCPU = ioc(IOC_NONE, 0x41, 0);
    public static final int KVM_SET_USER_MEMORY_REGION = ioc(IOC_WRITE, 0x46, SIZEOF_USERSPACE_MEMORY_REGION);
    public static final int KVM_CREATE_IRQCHIP = ioc(IOC_NONE, 0x60, 0);

    // ioctls for vCPU fds
    public static final int KVM_RUN = ioc(IOC_NONE, 0x80, 0);
    public static final int KVM_GET_REGS = ioc(IOC_READ, 0x81, SIZEOF_KVM_REGS);
    public static final int KVM_SET_REGS = ioc(IOC_WRITE, 0x82, SIZEOF_KVM_REGS);
    /** Arg: {@link KvmCpuid2}. */
    public static final int KVM_SET_CPUID2 = ioc(IOC_WRITE, 0x90, 8);
    /** KVM_NMI: _IO(KVMIO, 0x9a), queue an NMI on the vCPU (x86, user-space LAPIC). */
    public static final int KVM_NMI = ioc(0, 0x9a, 0);
    public static final int KVM_GET_CPUID2 = ioc(IOC_READ_WRITE, 0x91, 8);
    /** Arg: {@link KvmMpState}. */
    public static final int KVM_GET_MP_STATE = ioc(IOC_READ, 0x98, 4);
    public static final int KVM_SET_MP_STATE = ioc(IOC_WRITE, 0x99, 4);
    /**
     * KVM_ENABLE_CAP: _IOW(KVMIO, 0xa3, struct kvm_enable_cap), on a vCPU fd (PowerPC's
     * KVM_CAP_PPC_PAPR, ...); arg is a {@link KvmEnableCap}. Generic uapi, so it lives here.
     */
    public static final int KVM_ENABLE_CAP = ioc(IOC_WRITE, 0xa3, 104);

    /**
     * Model stand-in for {@code mmap(vcpu_fd, 0, KVM_GET_VCPU_MMAP_SIZE)}, which the
     * model's system calls do not have yet: arg is a {@code ByteBuffer[1]} that receives
     * the vCPU's kvm_run mapping (a view of the same memory the kernel writes). The
     * number is in KVM's ioctl space but unused by Linux (nr 0xf0).
     */
    public static final int KVMOSGI_MMAP_VCPU = ioc(IOC_READ, 0xF0, 8);
    /**
     * Model stand-in for reading a KVM_GET_STATS_FD file: arg is a {@code long[]} of
     * {@link KvmStat#COUNT} entries that receives the counters of the VM (the sum over
     * its vCPUs, as /sys/kernel/debug/kvm shows it) or of one vCPU. nr 0xf1, unused by Linux.
     */
    public static final int KVMOSGI_GET_STATS = ioc(IOC_READ, 0xF1, 8);
    /**
     * Model stand-in for reading {@code /sys/kernel/debug/kvm/dispatch} on /dev/kvm: arg
     * is a {@code List<String>} that receives the dispatch style and one line per call
     * site ({@code op style target}). nr 0xf2, unused by Linux.
     */
    public static final int KVMOSGI_GET_DISPATCH = ioc(IOC_READ, 0xF2, 8);

    private KvmIoctl() {}

    /** The macro name of an ioctl number, or its hex value. */
    public static String name(int cmd) {
        if (cmd == KVM_GET_API_VERSION) return "KVM_GET_API_VERSION";
        if (cmd == KVM_CREATE_VM) return "KVM_CREATE_VM";
        if (cmd == KVM_CHECK_EXTENSION) return "KVM_CHECK_EXTENSION";
        if (cmd == KVM_GET_VCPU_MMAP_SIZE) return "KVM_GET_VCPU_MMAP_SIZE";
        if (cmd == KVM_GET_SUPPORTED_CPUID) return "KVM_GET_SUPPORTED_CPUID";
        if (cmd == KVM_CREATE_VCPU) return "KVM_CREATE_VCPU";
        if (cmd == KVM_SET_USER_MEMORY_REGION) return "KVM_SET_USER_MEMORY_REGION";
        if (cmd == KVM_CREATE_IRQCHIP) return "KVM_CREATE_IRQCHIP";
        if (cmd == KVM_RUN) return "KVM_RUN";
        if (cmd == KVM_GET_REGS) return "KVM_GET_REGS";
        if (cmd == KVM_SET_REGS) return "KVM_SET_REGS";
        if (cmd == KVM_SET_CPUID2) return "KVM_SET_CPUID2";
        if (cmd == KVM_GET_CPUID2) return "KVM_GET_CPUID2";
        if (cmd == KVM_GET_MP_STATE) return "KVM_GET_MP_STATE";
        if (cmd == KVM_NMI) return "KVM_NMI";
        if (cmd == KVM_SET_MP_STATE) return "KVM_SET_MP_STATE";
        if (cmd == KVM_ENABLE_CAP) return "KVM_ENABLE_CAP";
        if (cmd == KVMOSGI_MMAP_VCPU) return "KVMOSGI_MMAP_VCPU";
        if (cmd == KVMOSGI_GET_STATS) return "KVMOSGI_GET_STATS";
        if (cmd == KVMOSGI_GET_DISPATCH) return "KVMOSGI_GET_DISPATCH";
        return String.format("0x%x", cmd);
    }
}
