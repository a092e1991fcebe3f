package org.kvmosgi.kvm.x86.vmx;

import static org.kvmosgi.kvm.api.KvmExitReason.*;
import static org.kvmosgi.kvm.api.KvmRunLayout.*;
import static org.kvmosgi.kvm.x86.vmx.VmxExit.*;

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
 * arch/x86/kvm/vmx/vmx.c: the support checks, vmx_init_ops (hardware_setup) and
 * vt_x86_ops (this object, whose optional ops hardware_setup may drop), and the exit
 * handler table. Core functions are taken from kvm.ko's exports once, at init.
 */
final class Vmx implements KvmX86Ops, KvmX86InitOps {
    static final String NAME = "kvm_intel";
    private static final int EIO = Errno.EIO.neg(), ENOMEM = Errno.ENOMEM.neg();

    // setup_vmcs_config(): the controls a CPU offers, as bits
    static final long PIN_BASED_VMX_PREEMPTION_TIMER = 1L << 6;
    static final long SECONDARY_EXEC_ENABLE_EPT = 1L << 33;
    static final long SECONDARY_EXEC_ENABLE_VPID = 1L << 37;
    static final long CPU_BASED_TPR_SHADOW = 1L << 21;

    private final ModuleContext ctx;
    private final Printk log;
    /** kvm.ko's functions the exit handlers call. */
    private final CoreExports core;

    // module parameters as hardware_setup() leaves them (enable_ept, enable_vpid, ...)
    boolean enableEpt, enableVpid, enablePreemptionTimer;
    /** vmcs_config of the boot CPU. */
    long vmcsConfig;
    /** The per-CPU VMXON regions (alloc_kvm_area()). */
    private Allocation vmxArea;
    private boolean[] vmxon;

    // vt_x86_ops' optional members: hardware_setup() may clear them
    private SetHvTimer setHvTimer = this::setHvTimerImpl;
    private VcpuVoidOp cancelHvTimer = this::cancelHvTimerImpl;
    private VcpuVoidOp requestImmediateExit = this::requestImmediateExitImpl;

    /** kvm_vmx_exit_handlers[], indexed by basic exit reason. */
    private final ExitHandler[] exitHandlers = new ExitHandler[MAX];
    /** The exit reason each intercepted instruction kind produces. */
    private static final int[] INSN_EXIT = new int[X86Insn.JMP + 1];

    static {
        java.util.Arrays.fill(INSN_EXIT, -1);
        INSN_EXIT[X86Insn.CPUID] = EXIT_REASON_CPUID;
        INSN_EXIT[X86Insn.HLT] = EXIT_REASON_HLT;
        INSN_EXIT[X86Insn.VMCALL] = EXIT_REASON_VMCALL;
        INSN_EXIT[X86Insn.MOV_FROM_CR] = EXIT_REASON_CR_ACCESS;
        INSN_EXIT[X86Insn.MOV_TO_CR] = EXIT_REASON_CR_ACCESS;
        INSN_EXIT[X86Insn.IN] = EXIT_REASON_IO_INSTRUCTION;
        INSN_EXIT[X86Insn.OUT] = EXIT_REASON_IO_INSTRUCTION;
        INSN_EXIT[X86Insn.RDMSR] = EXIT_REASON_MSR_READ;
        INSN_EXIT[X86Insn.WRMSR] = EXIT_REASON_MSR_WRITE;
        INSN_EXIT[X86Insn.RDTSC] = EXIT_REASON_RDTSC;
    }

    Vmx(ModuleContext ctx, CoreExports core) {
        this.ctx = ctx;
        this.log = ctx.log();
        this.core = core;

        exitHandlers[EXIT_REASON_EXCEPTION_NMI] = this::handleExceptionNmi;
        exitHandlers[EXIT_REASON_EXTERNAL_INTERRUPT] = Vmx::handleExternalInterrupt;
        exitHandlers[EXIT_REASON_TRIPLE_FAULT] = Vmx::handleTripleFault;
        exitHandlers[EXIT_REASON_CPUID] = core.emulateCpuid::call;
        exitHandlers[EXIT_REASON_HLT] = core.emulateHalt::call;
        exitHandlers[EXIT_REASON_VMCALL] = core.emulateHypercall::call;
        exitHandlers[EXIT_REASON_CR_ACCESS] = this::handleCr;
        exitHandlers[EXIT_REASON_IO_INSTRUCTION] = this::handleIo;
        exitHandlers[EXIT_REASON_MSR_READ] = core.emulateRdmsr::call;
        exitHandlers[EXIT_REASON_MSR_WRITE] = core.emulateWrmsr::call;
        exitHandlers[EXIT_REASON_EPT_MISCONFIG] = this::handleEptMisconfig;
        exitHandlers[EXIT_REASON_PREEMPTION_TIMER] = Vmx::handlePreemptionTimer;
    }

    // ---------------------------------------------------------------- support checks

    /** __kvm_is_vmx_supported() on {@code cpu}, with its messages. */
    boolean isVmxSupported(Cpu cpu) {
        if (!cpu.has(CpuFlags.VMX)) {
            log.err("VMX not supported by CPU %d", cpu.id());
            return false;
        }
        if (!cpu.has(CpuFlags.FEAT_CTL_VMX_ENABLED)) {
            log.err("VMX not enabled (by BIOS) in MSR_IA32_FEAT_CTL on CPU %d", cpu.id());
            return false;
        }
        return true;
    }

    /** setup_vmcs_config() for one CPU: the controls it supports. */
    static long setupVmcsConfig(Cpu cpu) {
        long c = 0;
        if (cpu.has(CpuFlags.VMX_PREEMPTION_TIMER)) c |= PIN_BASED_VMX_PREEMPTION_TIMER;
        if (cpu.has(CpuFlags.EPT)) c |= SECONDARY_EXEC_ENABLE_EPT;
        if (cpu.has(X86CpuFlags.VPID)) c |= SECONDARY_EXEC_ENABLE_VPID;
        if (cpu.has(X86CpuFlags.TPR_SHADOW)) c |= CPU_BASED_TPR_SHADOW;
        return c;
    }

    private Cpu bootCpu() {
        return ctx.host().cpus().get(0);
    }


    // ---------------------------------------------------------------- vmx_init_ops

    /** hardware_setup(): probes the boot CPU; without a preemption timer the hv-timer ops go. */
    @Override
    public int hardwareSetup() {
        return ctx.step("hardware_setup", this::vmxHardwareSetup);
    }

    private void disableParam(String name, boolean enabled) {
        if (!enabled && ctx.params().bool(name)) {
            ctx.params().update(name, "N");
        }
    }

    private int vmxHardwareSetup() {
        vmcsConfig = setupVmcsConfig(bootCpu());
        enableVpid = ctx.params().bool("vpid") && (vmcsConfig & SECONDARY_EXEC_ENABLE_VPID) != 0;
        enableEpt = ctx.params().bool("ept") && (vmcsConfig & SECONDARY_EXEC_ENABLE_EPT) != 0;
        enablePreemptionTimer = ctx.params().bool("preemption_timer")
                && (vmcsConfig & PIN_BASED_VMX_PREEMPTION_TIMER) != 0;
        // the parameters are the variables C assigns here: sysfs then shows what setup decided
        disableParam("vpid", enableVpid);
        disableParam("ept", enableEpt);
        disableParam("preemption_timer", enablePreemptionTimer);
        if (!enablePreemptionTimer) {
            setHvTimer = null;
            cancelHvTimer = null;
            requestImmediateExit = null; // the core's __kvm_request_immediate_exit
        }
        // alloc_kvm_area(): one VMXON region per CPU
        int n = ctx.host().cpus().size();
        vmxArea = ctx.kernel().kmalloc("vmxarea", 4096L * n);
        if (vmxArea == null) {
            return ENOMEM;
        }
        vmxon = new boolean[ctx.host().cpus().stream().mapToInt(Cpu::id).max().orElse(0) + 1];
        return 0;
    }

    @Override
    public KvmX86Ops runtimeOps() {
        return this;
    }

    // ---------------------------------------------------------------- vt_x86_ops

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void hardwareUnsetup() {
        if (vmxArea != null) {
            vmxArea.free();
            vmxArea = null;
        }
    }

    /** vmx_check_processor_compat(). */
    @Override
    public int checkProcessorCompatibility(int id) {
        Cpu cpu = Vendor.cpu(ctx.host(), id);
        if (!isVmxSupported(cpu)) {
            return EIO;
        }
        if (setupVmcsConfig(cpu) != vmcsConfig) {
            log.err("Inconsistent VMCS config on CPU %d", id);
            return EIO;
        }
        return 0;
    }

    /** vmx_enable_virtualization_cpu(): VMXON; -EBUSY when this CPU is already in VMX operation. */
    @Override
    public int enableVirtualizationCpu(int cpu) {
        if (vmxon[cpu]) {
            return Errno.EBUSY.neg();
        }
        vmxon[cpu] = true;
        return 0;
    }

    @Override
    public void disableVirtualizationCpu(int cpu) {
        vmxon[cpu] = false;
    }

    @Override
    public int vmInit(KvmVm kvm) {
        return 0;
    }

    @Override
    public void vmDestroy(KvmVm kvm) {
        // nothing VM-wide in the model's VMX
    }

    /** vmx_vcpu_create(): the VMCS and the execution controls. */
    @Override
    public int vcpuCreate(KvmVcpu vcpu) {
        VcpuVmx v = (VcpuVmx) vcpu;
        v.vmcs = ctx.kernel().kmalloc("vmcs", 4096);
        if (v.vmcs == null) {
            return ENOMEM;
        }
        GuestCpu cpu = v.cpu;
        cpu.intercept[X86Insn.HLT] = true;        // CPU_BASED_HLT_EXITING
        cpu.intercept[X86Insn.VMCALL] = true;     // VMCALL exits unconditionally
        // CR8 exiting unless the TPR shadow serves an in-kernel LAPIC
        boolean tprShadow = (vmcsConfig & CPU_BASED_TPR_SHADOW) != 0 && vcpu.kvm.irqchipInKernel;
        cpu.intercept[X86Insn.MOV_FROM_CR] = !tprShadow;
        cpu.intercept[X86Insn.MOV_TO_CR] = !tprShadow;
        return 0;
    }

    @Override
    public void vcpuFree(KvmVcpu vcpu) {
        VcpuVmx v = (VcpuVmx) vcpu;
        if (v.vmcs != null) {
            v.vmcs.free();
            v.vmcs = null;
        }
    }

    @Override
    public void vcpuReset(KvmVcpu vcpu, boolean initEvent) {
        vcpu.rflags = 2;
        vcpu.cr8 = 0;
    }

    /** vmx_vcpu_run(): VM entry until the next exit, whose fields it records as the VMCS would. */
    @Override
    public int vcpuRun(KvmVcpu vcpu, boolean forceImmediateExit) {
        VcpuVmx v = (VcpuVmx) vcpu;
        GuestCpu cpu = v.cpu;
        if (forceImmediateExit) {
            // 6.9+: vmx_vcpu_run(vcpu, force_immediate_exit); the 2019 op request_immediate_exit
            // was vmx_request_immediate_exit or the core's __kvm_request_immediate_exit
            if (enablePreemptionTimer) { // likely(enable_preemption_timer): vmx_update_hv_timer(vcpu, true)
                requestImmediateExitImpl(v);
            } else {
                Vendor.sendSelfIpi(v, cpu); // smp_send_reschedule(vcpu->cpu)
            }
        }
        switch (cpu.run(v)) {
            case GuestCpu.EV_INSN: {
                long d = cpu.insn;
                int kind = X86Insn.kind(d);
                v.exitReason = INSN_EXIT[kind];
                v.instructionLen = X86Insn.length(d);
                if (kind == X86Insn.IN || kind == X86Insn.OUT) {
                    int imm = X86Insn.imm8(d);
                    long port = imm == X86Insn.PORT_DX ? v.regs[X86.VCPU_REGS_RDX] & 0xffff : imm;
                    // size-1 | direction (1 = in) << 3 | operand encoding (1 = immediate) << 6 | port << 16
                    v.exitQualification = 3 | (kind == X86Insn.IN ? 8 : 0) | (imm == X86Insn.PORT_DX ? 0 : 64) | (port << 16);
                } else if (kind == X86Insn.MOV_FROM_CR || kind == X86Insn.MOV_TO_CR) {
                    // CR number | access type (0 = mov to CR, 1 = mov from CR) << 4 | GPR << 8
                    v.exitQualification = X86Insn.reg(d) | (kind == X86Insn.MOV_FROM_CR ? 1 << 4 : 0) | (X86Insn.rm(d) << 8);
                } else {
                    v.exitQualification = 0;
                }
                break;
            }
            case GuestCpu.EV_MMIO:
                if (enableEpt) {
                    v.exitReason = EXIT_REASON_EPT_MISCONFIG;
                    v.guestPhysicalAddress = cpu.gpa;
                } else {
                    // shadow paging: the access faults as a #PF, CR2 in the exit qualification
                    v.exitReason = EXIT_REASON_EXCEPTION_NMI;
                    v.intrVector = X86.PF_VECTOR;
                    v.exitQualification = cpu.gpa;
                }
                break;
            case GuestCpu.EV_EXCEPTION:
                v.exitReason = EXIT_REASON_EXCEPTION_NMI;
                v.intrVector = cpu.vector;
                break;
            case GuestCpu.EV_TRIPLE_FAULT:
                v.exitReason = EXIT_REASON_TRIPLE_FAULT;
                break;
            case GuestCpu.EV_PREEMPTION_TIMER:
                v.exitReason = EXIT_REASON_PREEMPTION_TIMER;
                break;
            default:
                v.exitReason = EXIT_REASON_EXTERNAL_INTERRUPT;
                break;
        }
        return X86.EXIT_FASTPATH_NONE;
    }

    /** vmx_handle_exit(): the table, indexed by basic exit reason. */
    @Override
    public int handleExit(KvmVcpu vcpu, int exitFastpath) {
        VcpuVmx v = (VcpuVmx) vcpu;
        int reason = v.exitReason;
        ExitHandler h = reason >= 0 && reason < MAX ? exitHandlers[reason] : null;
        if (h == null) {
            return Vendor.unexpectedExit(log, "vmx", v, reason);
        }
        return h.handle(v);
    }


    /** vmx_skip_emulated_instruction(): RIP += VM_EXIT_INSTRUCTION_LEN. */
    @Override
    public int skipEmulatedInstruction(KvmVcpu vcpu) {
        VcpuVmx v = (VcpuVmx) vcpu;
        v.rip += v.instructionLen;
        return 1;
    }

    @Override
    public int getMsr(KvmVcpu vcpu, int msr, long[] data) {
        switch (msr) {
            case X86.MSR_KERNEL_GS_BASE: data[0] = vcpu.kernelGsBase; return 0;
            case X86.MSR_IA32_FEAT_CTL: data[0] = 0x5; return 0; // locked, VMX outside SMX
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

    /** vmx_patch_hypercall(): VMCALL. */
    @Override
    public void patchHypercall(byte[] insn) {
        insn[0] = 0x0f;
        insn[1] = 0x01;
        insn[2] = (byte) 0xc1;
    }

    @Override
    public SetHvTimer setHvTimer() {
        return setHvTimer;
    }

    @Override
    public VcpuVoidOp cancelHvTimer() {
        return cancelHvTimer;
    }

    @Override
    public VcpuVoidOp requestImmediateExit() {
        return requestImmediateExit;
    }

    /** vmx_get_mt_mask(): UC for MMIO, else WB with IPAT (no non-coherent DMA in the model). */
    @Override
    public GetMtMask getMtMask() {
        return (vcpu, gfn, isMmio) -> isMmio ? MTRR_TYPE_UNCACHABLE << VMX_EPT_MT_EPTE_SHIFT
                : (MTRR_TYPE_WRBACK << VMX_EPT_MT_EPTE_SHIFT) | VMX_EPT_IPAT_BIT;
    }

    static final long MTRR_TYPE_UNCACHABLE = 0, MTRR_TYPE_WRBACK = 6, VMX_EPT_MT_EPTE_SHIFT = 3, VMX_EPT_IPAT_BIT = 1L << 6;

    /** vmx_set_hv_timer(): the deadline is in the past: expired at once; else armed. */
    private int setHvTimerImpl(KvmVcpu vcpu, long guestDeadlineTsc, boolean[] expired) {
        expired[0] = guestDeadlineTsc <= System.nanoTime() + vcpu.tscAdjust;
        return 0;
    }

    private void cancelHvTimerImpl(KvmVcpu vcpu) {
        ((VcpuVmx) vcpu).cpu.preemptionTimerZero = false;
    }

    /** vmx_request_immediate_exit(): a zero preemption timer exits right after entry, before any guest instruction. */
    private void requestImmediateExitImpl(KvmVcpu vcpu) {
        ((VcpuVmx) vcpu).cpu.preemptionTimerZero = true;
        vcpu.stat[KvmStat.IMMEDIATE_EXIT_TIMER]++;
    }

    // ---------------------------------------------------------------- exit handlers

    /** handle_exception_nmi(): #UD goes to handle_ud(), #PF (shadow paging) to the MMU. */
    private int handleExceptionNmi(KvmVcpu vcpu) {
        VcpuVmx v = (VcpuVmx) vcpu;
        if (v.intrVector == X86.UD_VECTOR) {
            return core.emulateInstruction.call(v, KvmSymbols.EMULTYPE_TRAP_UD);
        }
        if (v.intrVector == X86.PF_VECTOR) {
            return core.mmuPageFault.fault(v, v.exitQualification, 0);
        }
        v.run.putInt(EXIT_REASON, KVM_EXIT_EXCEPTION);
        v.run.putInt(EX_EXCEPTION, v.intrVector);
        v.run.putInt(EX_ERROR_CODE, 0);
        return 0;
    }

    private static int handleExternalInterrupt(KvmVcpu vcpu) {
        vcpu.stat[KvmStat.IRQ_EXITS]++;
        return 1;
    }

    private static int handleTripleFault(KvmVcpu vcpu) {
        vcpu.setExitReason(KVM_EXIT_SHUTDOWN);
        return 0;
    }

    private static int handlePreemptionTimer(KvmVcpu vcpu) {
        return 1;
    }

    /** handle_cr(): CR8 moves; lowering the TPR with a user-space LAPIC exits with KVM_EXIT_SET_TPR. */
    private int handleCr(KvmVcpu vcpu) {
        VcpuVmx v = (VcpuVmx) vcpu;
        long q = v.exitQualification;
        int reg = (int) ((q >>> 8) & 15);
        if (((q >>> 4) & 3) == 0) { // mov to cr8
            long cr8Prev = core.getCr8.get(v);
            long cr8 = v.regs[reg] & 0xff;
            int err = core.setCr8.set(v, cr8);
            int ret = core.completeInsnGp.call(v, err);
            if (v.kvm.irqchipInKernel || cr8Prev <= cr8) {
                return ret;
            }
            v.setExitReason(KVM_EXIT_SET_TPR);
            return 0;
        }
        v.regs[reg] = core.getCr8.get(v);
        return core.skipEmulatedInstruction.call(v);
    }

    /** handle_io(). */
    private int handleIo(KvmVcpu vcpu) {
        VcpuVmx v = (VcpuVmx) vcpu;
        long q = v.exitQualification;
        v.stat[KvmStat.IO_EXITS]++;
        int port = (int) (q >>> 16) & 0xffff;
        int size = (int) (q & 7) + 1;
        boolean in = (q & 8) != 0;
        return core.fastPio.fastPio(v, size, port, in);
    }

    /** handle_ept_misconfig(): an MMIO SPTE. */
    private int handleEptMisconfig(KvmVcpu vcpu) {
        VcpuVmx v = (VcpuVmx) vcpu;
        return core.mmuPageFault.fault(v, v.guestPhysicalAddress, KvmSymbols.PFERR_RSVD_MASK);
    }
}
