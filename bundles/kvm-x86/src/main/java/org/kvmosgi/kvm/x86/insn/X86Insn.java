package org.kvmosgi.kvm.x86.insn;

import java.nio.ByteBuffer;

/**
 * The x86 instruction decoder (arch/x86/lib/insn.c in Linux), for the instructions the
 * model's guests use. Both the simulated CPU (in guest mode) and kvm.ko's emulator use
 * it. A decode returns one packed {@code long}, so that the exit path allocates nothing:
 * kind, length, register operands, an 8-bit and a 32-bit immediate.
 *
 * <p>Encodings (64-bit mode, flat, no paging):
 * {@code 90} nop; {@code B8+r id} mov r32, imm32; {@code 0F A2} cpuid;
 * {@code 0F 01 C1} vmcall; {@code 0F 01 D9} vmmcall; {@code F4} hlt;
 * {@code 44 0F 20 /r} mov r64, cr8; {@code 44 0F 22 /r} mov cr8, r64;
 * {@code E5 ib} in eax, imm8; {@code E7 ib} out imm8, eax; {@code ED} in eax, dx;
 * {@code EF} out dx, eax; {@code 0F 32} rdmsr; {@code 0F 30} wrmsr; {@code 0F 31} rdtsc;
 * {@code 89 /r} mov [r64], r32 and {@code 8B /r} mov r32, [r64] (mod 00);
 * {@code FF /1} dec r32 (mod 11); {@code 75 cb} jnz rel8; {@code EB cb} jmp rel8.
 */
public final class X86Insn {
    public static final int INVALID = 0, NOP = 1, MOV_IMM = 2, CPUID = 3, VMCALL = 4, VMMCALL = 5, HLT = 6,
            MOV_FROM_CR = 7, MOV_TO_CR = 8, IN = 9, OUT = 10, RDMSR = 11, WRMSR = 12, RDTSC = 13,
            MOV_STORE = 14, MOV_LOAD = 15, DEC = 16, JNZ = 17, JMP = 18;
    /** Port operand of IN/OUT: DX rather than an immediate. */
    public static final int PORT_DX = 0x100;
    /** The longest encoding above. */
    public static final int MAX_LEN = 5;

    private X86Insn() {}

    public static int kind(long d) {
        return (int) (d & 0xff);
    }

    public static int length(long d) {
        return (int) ((d >>> 8) & 0xf);
    }

    /** ModRM.reg (with REX.R for CRs: the CR number), or the register of B8+r / FF /1. */
    public static int reg(long d) {
        return (int) ((d >>> 12) & 0xf);
    }

    /** ModRM.rm: the general register of a CR move, or the base of a memory operand. */
    public static int rm(long d) {
        return (int) ((d >>> 16) & 0xf);
    }

    /** imm8 (rel8 of a jump sign-extended by {@link #rel8}; port of IN/OUT imm8), or {@link #PORT_DX}. */
    public static int imm8(long d) {
        return (int) ((d >>> 20) & 0x1ff);
    }

    public static int rel8(long d) {
        return (byte) ((d >>> 20) & 0xff);
    }

    public static int imm32(long d) {
        return (int) (d >>> 32);
    }

    private static long pack(int kind, int len, int reg, int rm, int imm8, int imm32) {
        // kind 0-7, length 8-11, reg 12-15, rm 16-19, imm8 20-28, imm32 32-63
        return kind | ((long) len << 8) | ((long) reg << 12) | ((long) rm << 16) | ((long) (imm8 & 0x1ff) << 20)
                | ((imm32 & 0xffffffffL) << 32);
    }

    /**
     * Decodes the instruction at {@code off} of {@code mem} (absolute get, the buffer's
     * position is untouched); {@code avail} bytes can be read. An encoding outside the
     * list, or one cut by {@code avail}, decodes as {@link #INVALID} (the CPU raises #UD).
     */
    public static long decode(ByteBuffer mem, int off, int avail) {
        if (avail < 1) {
            return INVALID;
        }
        int b0 = mem.get(off) & 0xff;
        if (b0 >= 0xB8 && b0 <= 0xBF) {
            return avail < 5 ? INVALID : pack(MOV_IMM, 5, b0 - 0xB8, 0, 0, mem.getInt(off + 1));
        }
        switch (b0) {
            case 0x90: return pack(NOP, 1, 0, 0, 0, 0);
            case 0xF4: return pack(HLT, 1, 0, 0, 0, 0);
            case 0xED: return pack(IN, 1, 0, 0, PORT_DX, 0);
            case 0xEF: return pack(OUT, 1, 0, 0, PORT_DX, 0);
            case 0xE5: return avail < 2 ? INVALID : pack(IN, 2, 0, 0, mem.get(off + 1) & 0xff, 0);
            case 0xE7: return avail < 2 ? INVALID : pack(OUT, 2, 0, 0, mem.get(off + 1) & 0xff, 0);
            case 0x75: return avail < 2 ? INVALID : pack(JNZ, 2, 0, 0, mem.get(off + 1) & 0xff, 0);
            case 0xEB: return avail < 2 ? INVALID : pack(JMP, 2, 0, 0, mem.get(off + 1) & 0xff, 0);
            case 0x89:
            case 0x8B: {
                if (avail < 2) return INVALID;
                int modrm = mem.get(off + 1) & 0xff;
                int mod = modrm >>> 6, reg = (modrm >>> 3) & 7, rm = modrm & 7;
                // register-indirect only: no SIB (rm 4), no RIP-relative (rm 5)
                if (mod != 0 || rm == 4 || rm == 5) return INVALID;
                return pack(b0 == 0x89 ? MOV_STORE : MOV_LOAD, 2, reg, rm, 0, 0);
            }
            case 0xFF: {
                if (avail < 2) return INVALID;
                int modrm = mem.get(off + 1) & 0xff;
                if ((modrm >>> 6) != 3 || ((modrm >>> 3) & 7) != 1) return INVALID;
                return pack(DEC, 2, modrm & 7, 0, 0, 0);
            }
            case 0x0F: return decode0F(mem, off, avail, 0, 1);
            case 0x44: {
                // REX.R: only meaningful here for the CR8 moves
                if (avail < 2 || (mem.get(off + 1) & 0xff) != 0x0F) return INVALID;
                return decode0F(mem, off + 1, avail - 1, 8, 2);
            }
            default: return INVALID;
        }
    }

    private static long decode0F(ByteBuffer mem, int off, int avail, int rexR, int prefixLen) {
        if (avail < 2) return INVALID;
        int b1 = mem.get(off + 1) & 0xff;
        int base = prefixLen - 1;
        switch (b1) {
            case 0xA2: return rexR != 0 ? INVALID : pack(CPUID, 2, 0, 0, 0, 0);
            case 0x30: return rexR != 0 ? INVALID : pack(WRMSR, 2, 0, 0, 0, 0);
            case 0x31: return rexR != 0 ? INVALID : pack(RDTSC, 2, 0, 0, 0, 0);
            case 0x32: return rexR != 0 ? INVALID : pack(RDMSR, 2, 0, 0, 0, 0);
            case 0x01: {
                if (avail < 3 || rexR != 0) return INVALID;
                int b2 = mem.get(off + 2) & 0xff;
                if (b2 == 0xC1) return pack(VMCALL, 3, 0, 0, 0, 0);
                if (b2 == 0xD9) return pack(VMMCALL, 3, 0, 0, 0, 0);
                return INVALID;
            }
            case 0x20:
            case 0x22: {
                if (avail < 3) return INVALID;
                int modrm = mem.get(off + 2) & 0xff;
                if ((modrm >>> 6) != 3) return INVALID;
                int cr = rexR + ((modrm >>> 3) & 7);
                if (cr != 8) return INVALID; // the model's guests touch CR8 only
                return pack(b1 == 0x20 ? MOV_FROM_CR : MOV_TO_CR, 3 + base, cr, modrm & 7, 0, 0);
            }
            default: return INVALID;
        }
    }
}
