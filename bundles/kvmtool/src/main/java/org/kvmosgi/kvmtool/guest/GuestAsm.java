package org.kvmosgi.kvmtool.guest;

import java.io.ByteArrayOutputStream;

/**
 * A tiny assembler for guest programs (64-bit flat code, the encodings the model's CPU
 * decodes). Registers are x86 encoding numbers: {@link #EAX} .. {@link #EDI}.
 */
public final class GuestAsm {
    public static final int EAX = 0, ECX = 1, EDX = 2, EBX = 3, ESP = 4, EBP = 5, ESI = 6, EDI = 7;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private GuestAsm emit(int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
        return this;
    }

    /** The offset of the next instruction (a label). */
    public int here() {
        return out.size();
    }

    public GuestAsm movImm(int reg, int imm) {
        return emit(0xB8 + reg, imm & 0xff, (imm >>> 8) & 0xff, (imm >>> 16) & 0xff, imm >>> 24);
    }

    public GuestAsm nop() { return emit(0x90); }
    public GuestAsm cpuid() { return emit(0x0F, 0xA2); }
    public GuestAsm vmcall() { return emit(0x0F, 0x01, 0xC1); }
    public GuestAsm vmmcall() { return emit(0x0F, 0x01, 0xD9); }
    public GuestAsm hlt() { return emit(0xF4); }
    public GuestAsm rdmsr() { return emit(0x0F, 0x32); }
    public GuestAsm wrmsr() { return emit(0x0F, 0x30); }
    public GuestAsm rdtsc() { return emit(0x0F, 0x31); }
    /** mov reg64, cr8. */
    public GuestAsm movFromCr8(int reg) { return emit(0x44, 0x0F, 0x20, 0xC0 | reg); }
    /** mov cr8, reg64. */
    public GuestAsm movToCr8(int reg) { return emit(0x44, 0x0F, 0x22, 0xC0 | reg); }
    /** in eax, dx. */
    public GuestAsm inlDx() { return emit(0xED); }
    /** out dx, eax. */
    public GuestAsm outlDx() { return emit(0xEF); }
    /** in eax, imm8. */
    public GuestAsm inl(int port) { return emit(0xE5, port & 0xff); }
    /** out imm8, eax. */
    public GuestAsm outl(int port) { return emit(0xE7, port & 0xff); }
    /** mov [base], src (32 bits). */
    public GuestAsm store(int base, int src) { return emit(0x89, (src << 3) | base); }
    /** mov dst, [base] (32 bits). */
    public GuestAsm load(int dst, int base) { return emit(0x8B, (dst << 3) | base); }
    public GuestAsm dec(int reg) { return emit(0xFF, 0xC8 | reg); }

    /** jnz to {@code label} (a {@link #here()} value within ±127 bytes). */
    public GuestAsm jnz(int label) {
        int rel = label - (here() + 2);
        if (rel < -128 || rel > 127) {
            throw new IllegalArgumentException("jump too far: " + rel);
        }
        return emit(0x75, rel & 0xff);
    }

    public GuestAsm jmp(int label) {
        int rel = label - (here() + 2);
        if (rel < -128 || rel > 127) {
            throw new IllegalArgumentException("jump too far: " + rel);
        }
        return emit(0xEB, rel & 0xff);
    }

    public byte[] bytes() {
        return out.toByteArray();
    }
}
