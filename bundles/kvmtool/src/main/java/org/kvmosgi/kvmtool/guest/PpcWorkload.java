package org.kvmosgi.kvmtool.guest;

import java.util.Locale;
import org.kvmosgi.kvm.api.ppc.KvmPpc;

/**
 * The PowerPC guest workloads of a PAPR (pseries) guest: each a loop of {@code iterations}
 * bodies counted in CTR (bdnz), ending with {@code sc 1} of H_RTAS, which kvmtool takes as
 * the power-off (its isa-debug-exit on PowerPC). Registers r3..r7 carry hypercalls, r9 the
 * device address; no body touches CTR.
 */
public enum PpcWorkload {
    /** H_PUT_TERM_CHAR(termno 0, len 1, 'x'): a console write through the hypervisor. */
    HCALL("hcall"),
    /** A store to the test device's MMIO register: every store returns to the VMM. */
    MMIO_WRITE("mmio_write"),
    /** A load from the test device's MMIO register. */
    MMIO_READ("mmio_read");

    /** Guest real address of the code (above the exception vectors). */
    public static final int CODE_BASE = 0x1000;
    /** The character H_PUT_TERM_CHAR writes. */
    public static final char CHAR = 'x';

    private final String id;

    PpcWorkload(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** The program, to be loaded at {@link #CODE_BASE}. */
    public byte[] program(int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be at least 1");
        }
        PowerAsm a = new PowerAsm().load32(14, iterations & 0xffffffffL).mtctr(14);
        // the term chars are packed big-endian in r6 (first char in the top byte); with no
        // shift instruction in the guest's repertoire, they come from a data doubleword
        int charsAt = 0; // patched below once the code length is known
        int ldAt = -1;
        if (this == HCALL) {
            ldAt = a.here();
            a.ld(6, 0, 0); // placeholder, rewritten with the data address
        }
        a.load32(9, Workload.Ports.MMIO_BASE & 0xffffffffL).li(10, 0x1234);
        int loop = a.here();
        switch (this) {
            case HCALL -> a.li(3, (int) KvmPpc.H_PUT_TERM_CHAR).li(4, 0).li(5, 1).sc(1);
            case MMIO_WRITE -> a.stw(10, 0, 9);
            case MMIO_READ -> a.lwz(11, 0, 9);
        }
        a.bdnz(loop).load32(3, KvmPpc.H_RTAS).li(4, 0).sc(1);
        byte[] code;
        if (ldAt >= 0) {
            a.align(8);
            charsAt = CODE_BASE + a.here();
            a.quad((long) CHAR << 56);
            code = a.bytes();
            int ld = (58 << 26) | (6 << 21) | (charsAt & 0xfffc);
            code[ldAt] = (byte) ld;
            code[ldAt + 1] = (byte) (ld >>> 8);
            code[ldAt + 2] = (byte) (ld >>> 16);
            code[ldAt + 3] = (byte) (ld >>> 24);
        } else {
            code = a.bytes();
        }
        return code;
    }

    public static PpcWorkload byId(String id) {
        String n = id.toLowerCase(Locale.ROOT).replace('-', '_');
        for (PpcWorkload w : values()) {
            if (w.id.equals(n)) {
                return w;
            }
        }
        return null;
    }
}
