package org.kvmosgi.kvm.ppc.hw;

import java.nio.ByteBuffer;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kvm.api.KvmExitReason;
import org.kvmosgi.kvm.api.KvmRunLayout;
import org.kvmosgi.kvm.api.KvmStat;
import org.kvmosgi.kvm.ppc.api.KvmPpcVcpu;
import org.kvmosgi.kvm.ppc.api.MmioAccess;
import org.kvmosgi.kvm.ppc.api.PpcKvm;

/**
 * The exit loop both implementations share: run the processor, handle in the kernel what
 * the guest itself should see (interrupts), and return to user space for MMIO, hcalls
 * user space implements, and a pending signal.
 */
public final class GuestRun {
    /** Instructions per KVM_RUN before the model treats the run as interrupted by a signal. */
    public static final int BUDGET = 1_000_000;

    private GuestRun() {}

    /**
     * Runs the vCPU until an exit user space sees. {@code paprHcalls}: whether {@code sc 1}
     * is a PAPR hypercall (always under HV; under PR once KVM_CAP_PPC_PAPR is enabled) or a
     * system call delivered to the guest.
     */
    public static int run(KvmPpcVcpu v, MmioAccess mmio, boolean paprHcalls) {
        ByteBuffer run = v.run;
        v.runBudget = BUDGET;
        while (true) {
            PowerCpu.Exit e = PowerCpu.run(v, mmio);
            switch (e) {
                case MMIO:
                    v.stat[KvmStat.EXITS]++;
                    return 0;
                case HCALL:
                    if (!paprHcalls) {
                        PowerCpu.interrupt(v, 0xc00, v.pc);
                        continue;
                    }
                    v.stat[KvmStat.EXITS]++;
                    v.stat[KvmStat.HYPERCALLS]++;
                    run.putInt(KvmRunLayout.EXIT_REASON, PpcKvm.KVM_EXIT_PAPR_HCALL);
                    run.putLong(PpcKvm.PAPR_HCALL_NR, v.gpr[3]);
                    run.putLong(PpcKvm.PAPR_HCALL_RET, PpcKvm.H_FUNCTION);
                    for (int i = 0; i < 9; i++) {
                        run.putLong(PpcKvm.PAPR_HCALL_ARGS + 8 * i, v.gpr[4 + i]);
                    }
                    v.hcallNeeded = true;
                    return 0;
                case SYSCALL:
                    PowerCpu.interrupt(v, 0xc00, v.pc);
                    continue;
                case ISI:
                    PowerCpu.interrupt(v, 0x400, v.pc);
                    continue;
                case PROGRAM:
                    // already delivered to the guest's 0x700 vector
                    continue;
                case BUDGET:
                default:
                    v.stat[KvmStat.SIGNAL_EXITS]++;
                    run.putInt(KvmRunLayout.EXIT_REASON, KvmExitReason.KVM_EXIT_INTR);
                    return Errno.EINTR.neg();
            }
        }
    }
}
