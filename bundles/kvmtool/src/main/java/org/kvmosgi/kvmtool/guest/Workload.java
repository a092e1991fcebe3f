package org.kvmosgi.kvmtool.guest;

import static org.kvmosgi.kvmtool.guest.GuestAsm.*;

import java.util.Locale;

/**
 * The guest workloads: kvm-unit-tests' {@code vmexit} tests (x86/vmexit.c) plus hlt, I/O
 * to user space and MMIO. Each is a loop of {@code iterations} bodies ending with a write
 * to the isa-debug-exit port, as kvm-unit-tests end. The loop counter lives in ESI, which
 * no body touches.
 */
public enum Workload {
    CPUID("cpuid", false, a -> a.movImm(EAX, 0).cpuid()),
    VMCALL("vmcall", false, a -> a.movImm(EAX, 0).vmcall()),
    MOV_FROM_CR8("mov_from_cr8", false, a -> a.movFromCr8(EAX)),
    MOV_TO_CR8("mov_to_cr8", false, a -> a.movImm(EAX, 0).movToCr8(EAX)),
    /** The ACPI PM timer: QEMU emulates it in user space. */
    INL_FROM_PMTIMER("inl_from_pmtimer", false, a -> a.movImm(EDX, Ports.PM_TIMER).inlDx()),
    /** A port no device claims, answered by the VMM. */
    INL_FROM_QEMU("inl_from_qemu", false, a -> a.movImm(EDX, Ports.QEMU_IDLE).inlDx()),
    /** ELCR of the in-kernel PIC: needs KVM_CREATE_IRQCHIP. */
    INL_FROM_KERNEL("inl_from_kernel", true, a -> a.movImm(EDX, Ports.ELCR).inlDx()),
    OUTL_TO_KERNEL("outl_to_kernel", true, a -> a.movImm(EAX, 0).movImm(EDX, Ports.ELCR).outlDx()),
    RD_TSC_ADJUST_MSR("rd_tsc_adjust_msr", false, a -> a.movImm(ECX, 0x3b).rdmsr()),
    WR_TSC_ADJUST_MSR("wr_tsc_adjust_msr", false, a -> a.movImm(ECX, 0x3b).movImm(EAX, 0).movImm(EDX, 0).wrmsr()),
    /** HLT with the LAPIC in user space: every HLT returns to the VMM. */
    HLT("hlt", false, GuestAsm::hlt),
    /** A write to the test device's MMIO register: every write returns to the VMM. */
    MMIO_WRITE("mmio_write", false, a -> a.movImm(EDI, Ports.MMIO_BASE).movImm(EAX, 0x1234).store(EDI, EAX)),
    MMIO_READ("mmio_read", false, a -> a.movImm(EDI, Ports.MMIO_BASE).load(EAX, EDI)),
    /** An OUT to the serial port, handled by the VMM. */
    OUTL_TO_QEMU("outl_to_qemu", false, a -> a.movImm(EAX, 'x').movImm(EDX, Ports.COM1).outlDx());

    /** I/O ports and addresses the workloads and the VMM agree on. */
    public static final class Ports {
        public static final int PM_TIMER = 0xb008;
        public static final int QEMU_IDLE = 0x2f0;
        public static final int ELCR = 0x4d0;
        public static final int COM1 = 0x3f8;
        /** isa-debug-exit: OUT ends the test. */
        public static final int DEBUG_EXIT = 0xf4;
        public static final int MMIO_BASE = 0xd0000000;

        private Ports() {}
    }

    /** Guest physical address of the code. */
    public static final int CODE_BASE = 0x1000;

    private final String id;
    private final boolean irqchip;
    private final java.util.function.Consumer<GuestAsm> body;

    Workload(String id, boolean irqchip, java.util.function.Consumer<GuestAsm> body) {
        this.id = id;
        this.irqchip = irqchip;
        this.body = body;
    }

    /** The name as kvm-unit-tests spells it. */
    public String id() {
        return id;
    }

    /** Whether the VM needs the in-kernel irqchip (KVM_CREATE_IRQCHIP). */
    public boolean needsIrqchip() {
        return irqchip;
    }

    /** The program: {@code iterations} bodies, then OUT to isa-debug-exit. */
    public byte[] program(int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be at least 1");
        }
        GuestAsm a = new GuestAsm().movImm(ESI, iterations);
        int loop = a.here();
        body.accept(a);
        a.dec(ESI).jnz(loop).movImm(EAX, 0).outl(Ports.DEBUG_EXIT);
        return a.bytes();
    }

    public static Workload byId(String id) {
        String n = id.toLowerCase(Locale.ROOT).replace('-', '_');
        for (Workload w : values()) {
            if (w.id.equals(n)) {
                return w;
            }
        }
        return null;
    }
}
