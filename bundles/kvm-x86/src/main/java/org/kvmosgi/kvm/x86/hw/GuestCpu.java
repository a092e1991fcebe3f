package org.kvmosgi.kvm.x86.hw;

import static org.kvmosgi.kvm.x86.insn.X86Insn.*;

import java.nio.ByteBuffer;
import org.kvmosgi.kvm.api.generic.KvmMemorySlot;
import org.kvmosgi.kvm.api.x86.KvmVcpu;
import org.kvmosgi.kvm.api.x86.KvmVm;
import org.kvmosgi.kvm.api.x86.X86;

/**
 * The simulated processor in guest mode (VMX non-root / SVM guest mode) for one vCPU:
 * it runs guest instructions from guest memory until one is intercepted, then reports
 * a vendor-neutral exit event that the vendor module turns into its own exit reason
 * (what the silicon writes into the VMCS or VMCB). It is "hardware": it belongs to the
 * vendor bundles, not to kvm.ko.
 *
 * <p>No allocation: the exit information lives in fields, like VMCS fields.
 */
public final class GuestCpu {
    /** An intercepted instruction; {@link #insn} holds its decode. */
    public static final int EV_INSN = 1;
    /** A data access or fetch at a GPA that no memslot backs (EPT misconfig / NPF / #PF). */
    public static final int EV_MMIO = 2;
    /** An exception the guest raised ({@link #vector}), intercepted by KVM (#UD). */
    public static final int EV_EXCEPTION = 3;
    /** An exception could not be delivered (the model's guests run without an IDT). */
    public static final int EV_TRIPLE_FAULT = 4;
    /** The host timer tick: an external interrupt ends the guest's time slice. */
    public static final int EV_EXTINT = 5;
    /** The preemption timer, armed at 0 for an immediate exit, fired. */
    public static final int EV_PREEMPTION_TIMER = 6;

    private static final int RFLAGS_ZF = 1 << 6;

    /** The execution controls: which instruction kinds exit (VMCS controls / VMCB intercepts). */
    public final boolean[] intercept = new boolean[JMP + 1];
    /** Guest instructions between two host timer ticks. */
    public int ticks = 1 << 20;
    /** Preemption timer armed with 0 (VMX) for an immediate exit after entry. */
    public boolean preemptionTimerZero;
    /** A reschedule IPI sent to this CPU before entry (smp_send_reschedule): an external interrupt exits at once. */
    public boolean selfIpi;

    // exit information, valid after run() returned
    public long insn;
    public long gpa;
    public boolean write;
    public int vector;
    /** The RIP following the exiting instruction (SVM next_rip; VMX from the instruction length). */
    public long nextRip;

    public GuestCpu() {
        // instructions that exit unconditionally on both VMX and SVM (as KVM configures them)
        intercept[CPUID] = true;
        intercept[IN] = true;
        intercept[OUT] = true;
        intercept[RDMSR] = true;
        intercept[WRMSR] = true;
    }

    /** VM entry: runs {@code v} until an exit; returns an {@code EV_*} event. */
    public int run(KvmVcpu v) {
        if (v.exceptionVector >= 0) {
            // delivery through a missing IDT: #GP, #DF, then shutdown
            v.exceptionVector = -1;
            return EV_TRIPLE_FAULT;
        }
        if (preemptionTimerZero) {
            preemptionTimerZero = false;
            return EV_PREEMPTION_TIMER;
        }
        if (selfIpi) {
            selfIpi = false;
            return EV_EXTINT;
        }
        final KvmVm kvm = v.kvm;
        final long[] r = v.regs;
        KvmMemorySlot code = null;
        for (int budget = ticks; budget > 0; budget--) {
            long rip = v.rip;
            if (code == null || !code.contains(rip, 1)) {
                code = kvm.findSlot(rip, 1);
                if (code == null) {
                    gpa = rip;
                    write = false;
                    insn = INVALID;
                    return EV_MMIO;
                }
            }
            ByteBuffer mem = code.memory;
            int off = (int) (rip - code.base);
            long d = decode(mem, off, (int) Math.min(MAX_LEN, code.size - off));
            int kind = kind(d);
            int len = length(d);
            if (intercept[kind]) {
                insn = d;
                nextRip = rip + len;
                return EV_INSN;
            }
            switch (kind) {
                case NOP:
                    break;
                case MOV_IMM:
                    r[reg(d)] = imm32(d) & 0xffffffffL;
                    break;
                case DEC: {
                    long val = (r[reg(d)] - 1) & 0xffffffffL;
                    r[reg(d)] = val;
                    v.rflags = val == 0 ? v.rflags | RFLAGS_ZF : v.rflags & ~RFLAGS_ZF;
                    break;
                }
                case JNZ:
                    if ((v.rflags & RFLAGS_ZF) == 0) {
                        v.rip = rip + len + rel8(d);
                        continue;
                    }
                    break;
                case JMP:
                    v.rip = rip + len + rel8(d);
                    continue;
                case RDTSC: {
                    long tsc = System.nanoTime() + v.tscAdjust;
                    r[X86.VCPU_REGS_RAX] = tsc & 0xffffffffL;
                    r[X86.VCPU_REGS_RDX] = tsc >>> 32;
                    break;
                }
                case MOV_FROM_CR:
                    // TPR shadow: CR8 reads are served from the virtual TPR
                    r[rm(d)] = v.cr8;
                    break;
                case MOV_TO_CR:
                    v.cr8 = r[rm(d)] & 0xf;
                    break;
                case HLT:
                    // not intercepted: the CPU waits for the next interrupt, the host tick
                    v.rip = rip + len;
                    return EV_EXTINT;
                case MOV_STORE:
                case MOV_LOAD: {
                    long addr = r[rm(d)];
                    KvmMemorySlot data = kvm.findSlot(addr, 4);
                    if (data == null || (kind == MOV_STORE && data.readonly())) {
                        gpa = addr;
                        write = kind == MOV_STORE;
                        insn = d;
                        return EV_MMIO;
                    }
                    int at = (int) (addr - data.base);
                    if (kind == MOV_STORE) {
                        data.memory.putInt(at, (int) r[reg(d)]);
                    } else {
                        r[reg(d)] = data.memory.getInt(at) & 0xffffffffL;
                    }
                    break;
                }
                default:
                    // INVALID, or an instruction this CPU does not have (VMMCALL on Intel, VMCALL on AMD)
                    insn = d;
                    vector = X86.UD_VECTOR;
                    return EV_EXCEPTION;
            }
            v.rip = rip + len;
        }
        return EV_EXTINT;
    }
}
