package org.kvmosgi.kvm.x86.vmx;

/** Basic VM-exit reasons (arch/x86/include/uapi/asm/vmx.h). */
final class VmxExit {
    static final int EXIT_REASON_EXCEPTION_NMI = 0;
    static final int EXIT_REASON_EXTERNAL_INTERRUPT = 1;
    static final int EXIT_REASON_TRIPLE_FAULT = 2;
    static final int EXIT_REASON_CPUID = 10;
    static final int EXIT_REASON_HLT = 12;
    static final int EXIT_REASON_RDTSC = 16;
    static final int EXIT_REASON_VMCALL = 18;
    static final int EXIT_REASON_CR_ACCESS = 28;
    static final int EXIT_REASON_IO_INSTRUCTION = 30;
    static final int EXIT_REASON_MSR_READ = 31;
    static final int EXIT_REASON_MSR_WRITE = 32;
    static final int EXIT_REASON_EPT_VIOLATION = 48;
    static final int EXIT_REASON_EPT_MISCONFIG = 49;
    static final int EXIT_REASON_PREEMPTION_TIMER = 52;
    /** kvm_vmx_max_exit_handlers: EXIT_REASON_TDCALL (77) + 1. */
    static final int MAX = 78;

    private VmxExit() {}
}
