package org.kvmosgi.itests.kvmppc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Encodes the few Power ISA instructions the guest workloads use (little-endian guest memory). */
final class Asm {
    private final ByteBuffer out = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);

    Asm li(int rt, int v) { return d(14, rt, 0, v); }
    Asm lis(int rt, int v) { return d(15, rt, 0, v); }
    Asm ori(int ra, int rs, int v) { return d(24, rs, ra, v); }
    Asm stw(int rs, int disp, int ra) { return d(36, rs, ra, disp); }
    Asm lwz(int rt, int disp, int ra) { return d(32, rt, ra, disp); }
    Asm mr(int ra, int rs) { return word((31 << 26) | (rs << 21) | (ra << 16) | (rs << 11) | (444 << 1)); }
    Asm sc(int lev) { return word((17 << 26) | (lev << 5) | 2); }
    Asm word(int w) { out.putInt(w); return this; }
    Asm load32(int rt, long v) { return lis(rt, (int) (v >>> 16)).ori(rt, rt, (int) (v & 0xffff)); }

    private Asm d(int op, int rt, int ra, int imm) {
        return word((op << 26) | (rt << 21) | (ra << 16) | (imm & 0xffff));
    }

    byte[] bytes() {
        byte[] b = new byte[out.position()];
        out.duplicate().flip().get(b);
        return b;
    }

    static final long MMIO = 0x1000_0000L;

    /** 'H' through H_PUT_TERM_CHAR, a store and a load to a device register, then H_RTAS as power-off. */
    static byte[] workload() {
        return new Asm()
                .li(3, (int) org.kvmosgi.kvm.ppc.api.PpcKvm.H_PUT_TERM_CHAR).li(4, 0).li(5, 'H').sc(1)
                .lis(9, (int) (MMIO >>> 16)).li(10, 0x1234).stw(10, 0, 9)
                .lwz(11, 4, 9)
                .load32(3, org.kvmosgi.kvm.ppc.api.PpcKvm.H_RTAS).mr(4, 11).sc(1)
                .bytes();
    }
}
