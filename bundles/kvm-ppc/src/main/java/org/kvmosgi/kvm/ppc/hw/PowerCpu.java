package org.kvmosgi.kvm.ppc.hw;

import org.kvmosgi.kvm.api.KvmStat;
import org.kvmosgi.kvm.api.generic.KvmMemorySlot;
import org.kvmosgi.kvm.ppc.api.GuestEndian;
import org.kvmosgi.kvm.ppc.api.KvmPpcVcpu;
import org.kvmosgi.kvm.ppc.api.KvmPpcVm;
import org.kvmosgi.kvm.ppc.api.MmioAccess;

/**
 * The guest's POWER processor in real mode: a small subset of the Power ISA (integer
 * arithmetic, compares, branches, loads and stores, sc, mfspr/mtspr of LR and CTR), enough
 * for guest workloads that make hypercalls and MMIO accesses. Both kvm-hv and kvm-pr
 * carry it: the hardware runs the guest, the module decides what an exit means.
 */
public final class PowerCpu {
    /** Why the processor stopped. */
    public enum Exit {
        /** {@code sc 1}: a hypercall (PAPR hcall, number in r3). */
        HCALL,
        /** {@code sc 0}: a system call inside the guest. */
        SYSCALL,
        /** A load or store outside guest memory: kvm.ko has set kvm_run.mmio. */
        MMIO,
        /** An instruction the processor does not implement: program interrupt. */
        PROGRAM,
        /** An instruction fetch outside guest memory: instruction storage interrupt. */
        ISI,
        /** The instruction budget of one KVM_RUN ran out (a signal would be pending). */
        BUDGET
    }

    private static final long REAL_MODE_MASK = 0x0FFF_FFFF_FFFF_FFFFL;

    private PowerCpu() {}

    /**
     * Runs until an exit; at most {@code v.runBudget} instructions, counted down across
     * calls so that one KVM_RUN's budget covers the interrupts handled inside it.
     */
    public static Exit run(KvmPpcVcpu v, MmioAccess mmio) {
        while (v.runBudget > 0) {
            v.runBudget--;
            Exit e = step(v, mmio);
            if (e != null) {
                return e;
            }
        }
        return Exit.BUDGET;
    }

    /** Delivers an interrupt to the guest at {@code vector}, as the hardware does. */
    public static void interrupt(KvmPpcVcpu v, long vector, long srr0) {
        v.srr0 = srr0;
        v.srr1 = v.msr;
        v.pc = vector;
    }

    private static Exit step(KvmPpcVcpu v, MmioAccess mmio) {
        long pc = v.pc & REAL_MODE_MASK;
        KvmMemorySlot slot = v.kvm.findSlot(pc, 4);
        if (slot == null) {
            return Exit.ISI;
        }
        int insn = (int) GuestEndian.get(slot.memory, (int) (pc - slot.base), 4, GuestEndian.swapped(v, slot.memory));
        int op = insn >>> 26;
        int rt = (insn >>> 21) & 31, ra = (insn >>> 16) & 31, rb = (insn >>> 11) & 31;
        long simm = (short) insn;
        long uimm = insn & 0xffff;
        long next = v.pc + 4;
        switch (op) {
            case 14: // addi
                v.gpr[rt] = (ra == 0 ? 0 : v.gpr[ra]) + simm;
                break;
            case 15: // addis
                v.gpr[rt] = (ra == 0 ? 0 : v.gpr[ra]) + (simm << 16);
                break;
            case 24: // ori
                v.gpr[ra] = v.gpr[rt] | uimm;
                break;
            case 25: // oris
                v.gpr[ra] = v.gpr[rt] | (uimm << 16);
                break;
            case 28: // andi.
                v.gpr[ra] = v.gpr[rt] & uimm;
                setCr(v, 0, Long.compare(v.gpr[ra], 0));
                break;
            case 11: { // cmpi
                int bf = rt >>> 2;
                boolean l = (rt & 1) != 0;
                long a = l ? v.gpr[ra] : (int) v.gpr[ra];
                setCr(v, bf, Long.compare(a, simm));
                break;
            }
            case 10: { // cmpli
                int bf = rt >>> 2;
                boolean l = (rt & 1) != 0;
                long a = l ? v.gpr[ra] : v.gpr[ra] & 0xffffffffL;
                setCr(v, bf, Long.compareUnsigned(a, uimm));
                break;
            }
            case 18: { // b
                long li = ((long) (insn << 6)) >> 6 & ~3L;
                if ((insn & 1) != 0) {
                    v.lr = next;
                }
                next = ((insn & 2) != 0 ? 0 : v.pc) + li;
                break;
            }
            case 16: { // bc
                long bd = (short) (insn & 0xfffc);
                if (branchTaken(v, rt, ra)) {
                    if ((insn & 1) != 0) {
                        v.lr = next;
                    }
                    next = ((insn & 2) != 0 ? 0 : v.pc) + bd;
                }
                break;
            }
            case 19: // bclr (blr)
                if (((insn >>> 1) & 0x3ff) != 16) {
                    return program(v);
                }
                if (branchTaken(v, rt, ra)) {
                    long target = v.lr & ~3L;
                    if ((insn & 1) != 0) {
                        v.lr = next;
                    }
                    next = target;
                }
                break;
            case 17: { // sc LEV
                int lev = (insn >>> 5) & 0x7f;
                v.pc = next;
                return lev == 1 ? Exit.HCALL : Exit.SYSCALL;
            }
            case 31:
                if (!xform(v, insn, rt, ra, rb)) {
                    return program(v);
                }
                break;
            case 32: case 34: case 40: { // lwz lbz lhz
                int bytes = op == 32 ? 4 : op == 34 ? 1 : 2;
                Exit e = load(v, mmio, ea(v, ra, simm), rt, bytes, next);
                if (e != null) {
                    return e;
                }
                break;
            }
            case 36: case 38: case 44: { // stw stb sth
                int bytes = op == 36 ? 4 : op == 38 ? 1 : 2;
                Exit e = store(v, mmio, ea(v, ra, simm), v.gpr[rt], bytes, next);
                if (e != null) {
                    return e;
                }
                break;
            }
            case 58: { // ld (DS form, XO 0)
                if ((insn & 3) != 0) {
                    return program(v);
                }
                Exit e = load(v, mmio, ea(v, ra, simm & ~3L), rt, 8, next);
                if (e != null) {
                    return e;
                }
                break;
            }
            case 62: { // std (DS form, XO 0)
                if ((insn & 3) != 0) {
                    return program(v);
                }
                Exit e = store(v, mmio, ea(v, ra, simm & ~3L), v.gpr[rt], 8, next);
                if (e != null) {
                    return e;
                }
                break;
            }
            default:
                return program(v);
        }
        v.pc = next;
        return null;
    }

    private static Exit program(KvmPpcVcpu v) {
        interrupt(v, 0x700, v.pc);
        return Exit.PROGRAM;
    }

    private static boolean xform(KvmPpcVcpu v, int insn, int rt, int ra, int rb) {
        int xo = (insn >>> 1) & 0x3ff;
        switch (xo) {
            case 444: // or (mr)
                v.gpr[ra] = v.gpr[rt] | v.gpr[rb];
                return true;
            case 266: // add
                v.gpr[rt] = v.gpr[ra] + v.gpr[rb];
                return true;
            case 40: // subf
                v.gpr[rt] = v.gpr[rb] - v.gpr[ra];
                return true;
            case 339: { // mfspr
                int spr = ((insn >>> 16) & 31) | (((insn >>> 11) & 31) << 5);
                if (spr == 8) {
                    v.gpr[rt] = v.lr;
                } else if (spr == 9) {
                    v.gpr[rt] = v.ctr;
                } else {
                    return false;
                }
                return true;
            }
            case 467: { // mtspr
                int spr = ((insn >>> 16) & 31) | (((insn >>> 11) & 31) << 5);
                if (spr == 8) {
                    v.lr = v.gpr[rt];
                } else if (spr == 9) {
                    v.ctr = v.gpr[rt];
                } else {
                    return false;
                }
                return true;
            }
            default:
                return false;
        }
    }

    private static boolean branchTaken(KvmPpcVcpu v, int bo, int bi) {
        if ((bo & 4) == 0) {
            v.ctr--;
        }
        boolean ctrOk = (bo & 4) != 0 || ((v.ctr != 0) ^ ((bo & 2) != 0));
        boolean crBit = ((v.cr >>> (31 - bi)) & 1) != 0;
        boolean condOk = (bo & 16) != 0 || crBit == ((bo & 8) != 0);
        return ctrOk && condOk;
    }

    /** CR field {@code bf} from a comparison: LT, GT, EQ (SO stays clear). */
    private static void setCr(KvmPpcVcpu v, int bf, int cmp) {
        long bits = cmp < 0 ? 8 : cmp > 0 ? 4 : 2;
        int shift = 28 - 4 * bf;
        v.cr = (v.cr & ~(0xfL << shift)) | (bits << shift);
    }

    private static long ea(KvmPpcVcpu v, int ra, long d) {
        return ((ra == 0 ? 0 : v.gpr[ra]) + d) & REAL_MODE_MASK;
    }

    private static Exit load(KvmPpcVcpu v, MmioAccess mmio, long ea, int rt, int bytes, long next) {
        KvmMemorySlot s = v.kvm.findSlot(ea, bytes);
        if (s == null) {
            // kvmppc_emulate_loadstore advances the PC before the MMIO exit
            v.pc = next;
            v.stat[KvmStat.MMIO_EXITS]++;
            mmio.handleLoad(v, ea, rt, bytes, false);
            return Exit.MMIO;
        }
        v.gpr[rt] = GuestEndian.get(s.memory, (int) (ea - s.base), bytes, GuestEndian.swapped(v, s.memory));
        return null;
    }

    private static Exit store(KvmPpcVcpu v, MmioAccess mmio, long ea, long value, int bytes, long next) {
        KvmMemorySlot s = v.kvm.findSlot(ea, bytes);
        if (s == null || (s.flags & 2) != 0) { // KVM_MEM_READONLY: writes exit as MMIO
            v.pc = next;
            v.stat[KvmStat.MMIO_EXITS]++;
            mmio.handleStore(v, ea, value, bytes);
            return Exit.MMIO;
        }
        GuestEndian.put(s.memory, (int) (ea - s.base), value, bytes, GuestEndian.swapped(v, s.memory));
        return null;
    }
}
