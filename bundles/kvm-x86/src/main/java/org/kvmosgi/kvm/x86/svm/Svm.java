package org.kvmosgi.kvm.x86.svm;

import static org.kvmosgi.kvm.api.KvmExitReason.*;
import static org.kvmosgi.kvm.api.KvmRunLayout.*;

import org.kvmosgi.kernel.api.Allocation;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.Printk;
import org.kvmosgi.kernel.api.host.Cpu;
import org.kvmosgi.kernel.api.host.CpuFlags;
import org.kvmosgi.kvm.api.KvmStat;
import org.kvmosgi.kvm.api.X86CpuFlags;
import org.kvmosgi.kvm.api.x86.ExitHandler;
import org.kvmosgi.kvm.api.x86.KvmSymbols;
import org.kvmosgi.kvm.api.x86.KvmVcpu;
import org.kvmosgi.kvm.api.x86.KvmVm;
import org.kvmosgi.kvm.api.x86.KvmX86InitOps;
import org.kvmosgi.kvm.api.x86.KvmX86Ops;
import org.kvmosgi.kvm.api.x86.X86;
import org.kvmosgi.kvm.x86.hw.CoreExports;
import org.kvmosgi.kvm.x86.hw.GuestCpu;
import org.kvmosgi.kvm.x86.hw.Vendor;
import org.kvmosgi.kvm.x86.insn.X86Insn;

/**
 * arch/x86/kvm/svm/svm.c: the support checks, svm_init_ops and svm_x86_ops (this
 * object: SVM has no preemption timer, so no hv-timer ops, and request_immediate_exit
 * is the core's), and svm_exit_handlers[] indexed by exit code.
 */
final class Svm implements KvmX86Ops, KvmX86InitOps {
    static final String NAME = "kvm_amd";
    private static final int EIO = Errno.EIO.neg(), ENOMEM = Errno.ENOMEM.neg(), EBUSY = Errno.EBUSY.neg();

    // exit codes (arch/x86/include/uapi/asm/svm.h)
    static final int SVM_EXIT_WRITE_CR8 = 0x018;
    static final int SVM_EXIT_EXCP_BASE = 0x040;
    static final int SVM_EXIT_INTR = 0x060;
    static final int SVM_EXIT_RDTSC = 0x06e;
    static final int SVM_EXIT_CPUID = 0x072;
    static final int SVM_EXIT_HLT = 0x078;
    static final int SVM_EXIT_IOIO = 0x07b;
    static final int SVM_EXIT_MSR = 0x07c;
    static final int SVM_EXIT_SHUTDOWN = 0x07f;
    static final int SVM_EXIT_VMMCALL = 0x081;
    static final int SVM_EXIT_NPF = 0x400;
    private static final int MAX = SVM_EXIT_NPF + 1;
    // exit_info_1 of IOIO
    static final int SVM_IOIO_TYPE_MASK = 1, SVM_IOIO_STR_MASK = 4, SVM_IOIO_SIZE_SHIFT = 4, SVM_IOIO_SIZE_MASK = 7 << 4;

    private final ModuleContext ctx;
    private final Printk log;
    /** kvm.ko's functions the exit handlers call. */
    private final CoreExports core;

    /** Parameters as svm_hardware_setup() leaves them. */
    boolean nptEnabled, nrips, avic;
    /** Per-CPU host save areas (svm_cpu_init()). */
    private Allocation saveAreas;
    private boolean[] svme;

    private final ExitHandler[] exitHandlers = new ExitHandler[MAX];
    private static final int[] INSN_EXIT = new int[X86Insn.JMP + 1];

    static {
        java.util.Arrays.fill(INSN_EXIT, -1);
        INSN_EXIT[X86Insn.CPUID] = SVM_EXIT_CPUID;
        INSN_EXIT[X86Insn.HLT] = SVM_EXIT_HLT;
        INSN_EXIT[X86Insn.VMMCALL] = SVM_EXIT_VMMCALL;
        INSN_EXIT[X86Insn.MOV_TO_CR] = SVM_EXIT_WRITE_CR8;
        INSN_EXIT[X86Insn.IN] = SVM_EXIT_IOIO;
        INSN_EXIT[X86Insn.OUT] = SVM_EXIT_IOIO;
        INSN_EXIT[X86Insn.RDMSR] = SVM_EXIT_MSR;
        INSN_EXIT[X86Insn.WRMSR] = SVM_EXIT_MSR;
        INSN_EXIT[X86Insn.RDTSC] = SVM_EXIT_RDTSC;
    }

    Svm(ModuleContext ctx, CoreExports core) {
        this.ctx = ctx;
        this.log = ctx.log();
        this.core = core;

        exitHandlers[SVM_EXIT_WRITE_CR8] = this::cr8WriteInterception;
        exitHandlers[SVM_EXIT_EXCP_BASE + X86.UD_VECTOR] = this::udInterception;
        exitHandlers[SVM_EXIT_EXCP_BASE + X86.PF_VECTOR] = this::pfInterception;
        exitHandlers[SVM_EXIT_INTR] = Svm::intrInterception;
        exitHandlers[SVM_EXIT_CPUID] = core.emulateCpuid::call;
        exitHandlers[SVM_EXIT_HLT] = core.emulateHalt::call;
        exitHandlers[SVM_EXIT_IOIO] = this::ioInterception;
        exitHandlers[SVM_EXIT_MSR] = this::msrInterception;
        exitHandlers[SVM_EXIT_SHUTDOWN] = Svm::shutdownInterception;
        exitHandlers[SVM_EXIT_VMMCALL] = core.emulateHypercall::call;
        exitHandlers[SVM_EXIT_NPF] = this::npfInterception;
    }

    /** __kvm_is_svm_supported() on {@code cpu}, with its messages. */
    boolean isSvmSupported(Cpu cpu) {
        String vendor = ctx.host().cpuVendor();
        if (!"AuthenticAMD".equals(vendor) && !"HygonGenuine".equals(vendor)) {
            log.err("CPU %d isn't AMD or Hygon", cpu.id());
            return false;
        }
        if (!cpu.has(CpuFlags.SVM)) {
            log.err("SVM not supported by CPU %d", cpu.id());
            return false;
        }
        return true;
    }


    // ---------------------------------------------------------------- svm_init_ops

    /** svm_hardware_setup(). */
    @Override
    public int hardwareSetup() {
        return ctx.step("hardware_setup", this::svmHardwareSetup);
    }

    private int svmHardwareSetup() {
        Cpu boot = ctx.host().cpus().get(0);
        nptEnabled = ctx.params().integer("npt") != 0 && boot.has(CpuFlags.NPT);
        nrips = ctx.params().integer("nrips") != 0 && boot.has(X86CpuFlags.NRIPS);
        avic = ctx.params().bool("avic") && nptEnabled && boot.has(X86CpuFlags.AVIC);
        if (avic) {
            log.info("AVIC enabled");
        }
        saveAreas = ctx.kernel().kmalloc("svm_save_area", 4096L * ctx.host().cpus().size());
        if (saveAreas == null) {
            return ENOMEM;
        }
        svme = new boolean[ctx.host().cpus().stream().mapToInt(Cpu::id).max().orElse(0) + 1];
        return 0;
    }

    @Override
    public KvmX86Ops runtimeOps() {
        return this;
    }

    // ---------------------------------------------------------------- svm_x86_ops

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void hardwareUnsetup() {
        if (saveAreas != null) {
            saveAreas.free();
            saveAreas = null;
        }
    }

    /** svm_check_processor_compat(). */
    @Override
    public int checkProcessorCompatibility(int id) {
        return isSvmSupported(Vendor.cpu(ctx.host(), id)) ? 0 : EIO;
    }

    /** svm_enable_virtualization_cpu(): EFER.SVME; -EBUSY when already set. */
    @Override
    public int enableVirtualizationCpu(int cpu) {
        if (svme[cpu]) {
            return EBUSY;
        }
        svme[cpu] = true;
        return 0;
    }

    @Override
    public void disableVirtualizationCpu(int cpu) {
        svme[cpu] = false;
    }

    @Override
    public int vmInit(KvmVm kvm) {
        return 0;
    }

    @Override
    public void vmDestroy(KvmVm kvm) {
        // nothing VM-wide in the model's SVM
    }

    /** svm_vcpu_create() / init_vmcb(): the VMCB and its intercepts. */
    @Override
    public int vcpuCreate(KvmVcpu vcpu) {
        VcpuSvm v = (VcpuSvm) vcpu;
        v.vmcb = ctx.kernel().kmalloc("vmcb", 4096);
        if (v.vmcb == null) {
            return ENOMEM;
        }
        GuestCpu cpu = v.cpu;
        cpu.intercept[X86Insn.HLT] = true;
        cpu.intercept[X86Insn.VMMCALL] = true;
        // CR8 reads are served by V_TPR; writes are intercepted unless AVIC is active
        cpu.intercept[X86Insn.MOV_FROM_CR] = false;
        cpu.intercept[X86Insn.MOV_TO_CR] = !avic;
        return 0;
    }

    @Override
    public void vcpuFree(KvmVcpu vcpu) {
        VcpuSvm v = (VcpuSvm) vcpu;
        if (v.vmcb != null) {
            v.vmcb.free();
            v.vmcb = null;
        }
    }

    @Override
    public void vcpuReset(KvmVcpu vcpu, boolean initEvent) {
        vcpu.rflags = 2;
        vcpu.cr8 = 0;
    }

    /** svm_vcpu_run(): VMRUN until #VMEXIT; the CPU fills exit_code, exit_info_1/2, next_rip. */
    @Override
    public int vcpuRun(KvmVcpu vcpu, boolean forceImmediateExit) {
        VcpuSvm v = (VcpuSvm) vcpu;
        GuestCpu cpu = v.cpu;
        v.nextRip = 0;
        if (forceImmediateExit) {
            Vendor.sendSelfIpi(v, cpu); // SVM has no preemption timer: smp_send_reschedule(vcpu->cpu)
        }
        switch (cpu.run(v)) {
            case GuestCpu.EV_INSN: {
                long d = cpu.insn;
                int kind = X86Insn.kind(d);
                v.exitCode = INSN_EXIT[kind];
                v.vmcbNextRip = nrips ? cpu.nextRip : 0;
                if (kind == X86Insn.IN || kind == X86Insn.OUT) {
                    int imm = X86Insn.imm8(d);
                    long port = imm == X86Insn.PORT_DX ? v.regs[X86.VCPU_REGS_RDX] & 0xffff : imm;
                    v.exitInfo1 = (kind == X86Insn.IN ? SVM_IOIO_TYPE_MASK : 0) | (4 << SVM_IOIO_SIZE_SHIFT) | (port << 16);
                    v.exitInfo2 = cpu.nextRip; // IOIO always reports the next RIP
                } else if (kind == X86Insn.MOV_TO_CR) {
                    v.exitInfo1 = (1L << 63) | X86Insn.rm(d); // decode assists: valid | GPR
                } else if (kind == X86Insn.WRMSR || kind == X86Insn.RDMSR) {
                    v.exitInfo1 = kind == X86Insn.WRMSR ? 1 : 0;
                } else {
                    v.exitInfo1 = 0;
                }
                break;
            }
            case GuestCpu.EV_MMIO:
                v.vmcbNextRip = 0;
                if (nptEnabled) {
                    v.exitCode = SVM_EXIT_NPF;
                    v.exitInfo1 = KvmSymbols.PFERR_RSVD_MASK | (cpu.write ? KvmSymbols.PFERR_WRITE_MASK : 0);
                    v.exitInfo2 = cpu.gpa;
                } else {
                    v.exitCode = SVM_EXIT_EXCP_BASE + X86.PF_VECTOR;
                    v.exitInfo1 = cpu.write ? KvmSymbols.PFERR_WRITE_MASK : 0;
                    v.exitInfo2 = cpu.gpa; // CR2
                }
                break;
            case GuestCpu.EV_EXCEPTION:
                v.vmcbNextRip = 0;
                v.exitCode = SVM_EXIT_EXCP_BASE + cpu.vector;
                break;
            case GuestCpu.EV_TRIPLE_FAULT:
                v.exitCode = SVM_EXIT_SHUTDOWN;
                break;
            default:
                v.exitCode = SVM_EXIT_INTR;
                break;
        }
        return X86.EXIT_FASTPATH_NONE;
    }

    /** svm_handle_exit() → svm_invoke_exit_handler(). */
    @Override
    public int handleExit(KvmVcpu vcpu, int exitFastpath) {
        VcpuSvm v = (VcpuSvm) vcpu;
        int code = v.exitCode;
        ExitHandler h = code >= 0 && code < MAX ? exitHandlers[code] : null;
        if (h == null) {
            return Vendor.unexpectedExit(log, "svm", v, code);
        }
        return h.handle(v);
    }

    /** svm_skip_emulated_instruction(): next_rip when the CPU saved it, else the emulator decodes. */
    @Override
    public int skipEmulatedInstruction(KvmVcpu vcpu) {
        VcpuSvm v = (VcpuSvm) vcpu;
        if (nrips && v.vmcbNextRip != 0) {
            v.nextRip = v.vmcbNextRip;
        }
        if (v.nextRip == 0) {
            return core.emulateInstruction.call(v, KvmSymbols.EMULTYPE_SKIP) == 0 ? 0 : 1;
        }
        v.rip = v.nextRip;
        v.nextRip = 0;
        v.vmcbNextRip = 0;
        return 1;
    }

    @Override
    public int getMsr(KvmVcpu vcpu, int msr, long[] data) {
        switch (msr) {
            case X86.MSR_KERNEL_GS_BASE: data[0] = vcpu.kernelGsBase; return 0;
            case X86.MSR_VM_CR: data[0] = 0; return 0;
            default: return 1;
        }
    }

    @Override
    public int setMsr(KvmVcpu vcpu, int msr, long data) {
        if (msr == X86.MSR_KERNEL_GS_BASE) {
            vcpu.kernelGsBase = data;
            return 0;
        }
        return 1;
    }

    /** svm_patch_hypercall(): VMMCALL. */
    @Override
    public void patchHypercall(byte[] insn) {
        insn[0] = 0x0f;
        insn[1] = 0x01;
        insn[2] = (byte) 0xd9;
    }

    // ---------------------------------------------------------------- exit handlers

    /** cr8_write_interception(). */
    private int cr8WriteInterception(KvmVcpu vcpu) {
        VcpuSvm v = (VcpuSvm) vcpu;
        long cr8Prev = core.getCr8.get(v);
        int reg = (int) (v.exitInfo1 & 15);
        int err = core.setCr8.set(v, v.regs[reg] & 0xff);
        int r = core.completeInsnGp.call(v, err);
        if (v.kvm.irqchipInKernel || cr8Prev <= core.getCr8.get(v)) {
            return r;
        }
        v.setExitReason(KVM_EXIT_SET_TPR);
        return 0;
    }

    /** ud_interception() → handle_ud(): the emulator, trapping #UD. */
    private int udInterception(KvmVcpu vcpu) {
        return core.emulateInstruction.call(vcpu, KvmSymbols.EMULTYPE_TRAP_UD);
    }

    /** pf_interception() without NPT: the shadow MMU. */
    private int pfInterception(KvmVcpu vcpu) {
        VcpuSvm v = (VcpuSvm) vcpu;
        return core.mmuPageFault.fault(v, v.exitInfo2, v.exitInfo1);
    }

    /** npf_interception(). */
    private int npfInterception(KvmVcpu vcpu) {
        VcpuSvm v = (VcpuSvm) vcpu;
        return core.mmuPageFault.fault(v, v.exitInfo2, v.exitInfo1);
    }

    private static int intrInterception(KvmVcpu vcpu) {
        vcpu.stat[KvmStat.IRQ_EXITS]++;
        return 1;
    }

    private static int shutdownInterception(KvmVcpu vcpu) {
        vcpu.setExitReason(KVM_EXIT_SHUTDOWN);
        return 0;
    }

    /** io_interception(). */
    private int ioInterception(KvmVcpu vcpu) {
        VcpuSvm v = (VcpuSvm) vcpu;
        long info = v.exitInfo1;
        v.stat[KvmStat.IO_EXITS]++;
        boolean in = (info & SVM_IOIO_TYPE_MASK) != 0;
        int port = (int) (info >>> 16) & 0xffff;
        int size = (int) ((info & SVM_IOIO_SIZE_MASK) >>> SVM_IOIO_SIZE_SHIFT);
        v.nextRip = v.exitInfo2;
        return core.fastPio.fastPio(v, size, port, in);
    }

    /** msr_interception(). */
    private int msrInterception(KvmVcpu vcpu) {
        VcpuSvm v = (VcpuSvm) vcpu;
        return v.exitInfo1 != 0 ? core.emulateWrmsr.call(v) : core.emulateRdmsr.call(v);
    }
}
