package org.kvmosgi.kvmtool.guest;

import java.io.ByteArrayOutputStream;

/**
 * A tiny Power ISA assembler for the PowerPC guest programs: the instructions the model's
 * CPU decodes, little-endian as a ppc64le guest's memory holds them. kvmtool's workloads
 * are written with it, and so are the guests of kvm-ppc's unit tests and of the itests.
 */
public final class PowerAsm {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** The offset of the next instruction (a label). */
    public int here() {
        return out.size();
    }

    public PowerAsm word(int w) {
        out.write(w);
        out.write(w >>> 8);
        out.write(w >>> 16);
        out.write(w >>> 24);
        return this;
    }

    private PowerAsm d(int op, int rt, int ra, int imm) {
        return word((op << 26) | (rt << 21) | (ra << 16) | (imm & 0xffff));
    }

    /** li rt, v (addi rt, 0, v): v is sign-extended. */
    public PowerAsm li(int rt, int v) { return d(14, rt, 0, v); }
    /** lis rt, v (addis rt, 0, v): v shifted up 16 bits, sign-extended. */
    public PowerAsm lis(int rt, int v) { return d(15, rt, 0, v); }
    public PowerAsm addi(int rt, int ra, int v) { return d(14, rt, ra, v); }
    public PowerAsm ori(int ra, int rs, int v) { return d(24, rs, ra, v); }
    public PowerAsm oris(int ra, int rs, int v) { return d(25, rs, ra, v); }
    public PowerAsm stw(int rs, int disp, int ra) { return d(36, rs, ra, disp); }
    public PowerAsm lwz(int rt, int disp, int ra) { return d(32, rt, ra, disp); }
    /** ld rt, disp(ra): DS form, disp a multiple of 4. */
    public PowerAsm ld(int rt, int disp, int ra) { return d(58, rt, ra, disp & ~3); }
    /** mr ra, rs (or ra, rs, rs). */
    public PowerAsm mr(int ra, int rs) { return word((31 << 26) | (rs << 21) | (ra << 16) | (rs << 11) | (444 << 1)); }
    public PowerAsm mtctr(int rs) { return word((31 << 26) | (rs << 21) | (9 << 16) | (467 << 1)); }
    public PowerAsm sc(int lev) { return word((17 << 26) | (lev << 5) | 2); }

    /** A 32-bit unsigned value into rt without sign extension (li 0; oris; ori). */
    public PowerAsm load32(int rt, long v) {
        return li(rt, 0).oris(rt, rt, (int) (v >>> 16) & 0xffff).ori(rt, rt, (int) v & 0xffff);
    }

    /** bdnz to {@code label} (a {@link #here()} value within ±32 KiB). */
    public PowerAsm bdnz(int label) {
        int off = label - here();
        if (off < -32768 || off > 32767) {
            throw new IllegalArgumentException("branch too far: " + off);
        }
        return word((16 << 26) | (16 << 21) | (off & 0xfffc));
    }

    /** Pads with zero bytes to a multiple of {@code align}. */
    public PowerAsm align(int align) {
        while (out.size() % align != 0) {
            out.write(0);
        }
        return this;
    }

    /** A doubleword of data, little-endian. */
    public PowerAsm quad(long v) {
        word((int) v);
        return word((int) (v >>> 32));
    }

    public byte[] bytes() {
        return out.toByteArray();
    }
}
