package org.kvmosgi.kvm.api;

/**
 * Byte offsets of struct kvm_run on x86, as user space sees the mapping of a vCPU fd
 * (little endian). The mapping is {@link #MMAP_SIZE} bytes: kvm_run, the PIO data page
 * (KVM_PIO_PAGE_OFFSET 1) and the coalesced MMIO ring page (KVM_COALESCED_MMIO_PAGE_OFFSET 2).
 */
public final class KvmRunLayout {
    public static final int PAGE_SIZE = 4096;
    public static final int KVM_PIO_PAGE_OFFSET = 1;
    public static final int KVM_COALESCED_MMIO_PAGE_OFFSET = 2;
    /** What KVM_GET_VCPU_MMAP_SIZE returns on x86. */
    public static final int MMAP_SIZE = 3 * PAGE_SIZE;

    public static final int REQUEST_INTERRUPT_WINDOW = 0; // u8
    public static final int IMMEDIATE_EXIT = 1;           // u8
    public static final int EXIT_REASON = 8;              // u32
    public static final int READY_FOR_INTERRUPT_INJECTION = 12; // u8
    public static final int IF_FLAG = 13;                 // u8
    public static final int FLAGS = 14;                   // u16
    public static final int CR8 = 16;                     // u64
    public static final int APIC_BASE = 24;               // u64
    /** Start of the exit union. */
    public static final int EXIT_UNION = 32;

    // KVM_EXIT_UNKNOWN
    public static final int HW_EXIT_REASON = EXIT_UNION;   // u64
    // KVM_EXIT_EXCEPTION
    public static final int EX_EXCEPTION = EXIT_UNION;     // u32
    public static final int EX_ERROR_CODE = EXIT_UNION + 4;
    // KVM_EXIT_IO
    public static final int IO_DIRECTION = EXIT_UNION;     // u8
    public static final int IO_SIZE = EXIT_UNION + 1;      // u8
    public static final int IO_PORT = EXIT_UNION + 2;      // u16
    public static final int IO_COUNT = EXIT_UNION + 4;     // u32
    public static final int IO_DATA_OFFSET = EXIT_UNION + 8; // u64, relative to kvm_run
    // KVM_EXIT_MMIO
    public static final int MMIO_PHYS_ADDR = EXIT_UNION;   // u64
    public static final int MMIO_DATA = EXIT_UNION + 8;    // u8[8]
    public static final int MMIO_LEN = EXIT_UNION + 16;    // u32
    public static final int MMIO_IS_WRITE = EXIT_UNION + 20; // u8
    // KVM_EXIT_INTERNAL_ERROR
    public static final int INTERNAL_SUBERROR = EXIT_UNION; // u32
    public static final int INTERNAL_NDATA = EXIT_UNION + 4; // u32
    public static final int INTERNAL_DATA = EXIT_UNION + 8;  // u64[16]

    private KvmRunLayout() {}
}
