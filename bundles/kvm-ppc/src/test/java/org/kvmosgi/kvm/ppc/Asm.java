package org.kvmosgi.kvm.ppc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Encodes the few Power ISA instructions the guest workloads use (little-endian guest memory). */
final class Asm {
    private final ByteBuffer out = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);

    Asm li(int rt, int v) { return d(14, rt, 0, v); }
    Asm lis(int rt, int v) { return d(15, rt, 0, v); }
    Asm addi(int rt, int ra, int v) { return d(14, rt, ra, v); }
    Asm ori(int ra, int rs, int v) { return d(24, rs, ra, v); }
    Asm stw(int rs, int disp, int ra) { return d(36, rs, ra, disp); }
    Asm lwz(int rt, int disp, int ra) { return d(32, rt, ra, disp); }
    Asm stb(int rs, int disp, int ra) { return d(38, rs, ra, disp); }
    Asm mr(int ra, int rs) { return word((31 << 26) | (rs << 21) | (ra << 16) | (rs << 11) | (444 << 1)); }
    Asm mtctr(int rs) { return word((31 << 26) | (rs << 21) | (9 << 16) | (467 << 1)); }
    /** bdnz to a byte offset from this instruction. */
    Asm bdnz(int off) { return word((16 << 26) | (16 << 21) | (off & 0xfffc)); }
    Asm b(int off) { return word((18 << 26) | (off & 0x3fffffc)); }
    Asm sc(int lev) { return word((17 << 26) | (lev << 5) | 2); }
    Asm word(int w) { out.putInt(w); return this; }

    /** Loads a 32-bit unsigned value into rt (lis + ori). */
    Asm load32(int rt, long v) { return lis(rt, (int) (v >>> 16)).ori(rt, rt, (int) (v & 0xffff)); }

    private Asm d(int op, int rt, int ra, int imm) {
        return word((op << 26) | (rt << 21) | (ra << 16) | (imm & 0xffff));
    }

    byte[] bytes() {
        byte[] b = new byte[out.position()];
        out.duplicate().flip().get(b);
        return b;
    }
}
