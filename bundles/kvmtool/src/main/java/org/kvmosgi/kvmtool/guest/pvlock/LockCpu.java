package org.kvmosgi.kvmtool.guest.pvlock;

import org.kvmosgi.kvmtool.vmm.Vm;

/** One vCPU of the guest kernel: its thread's view of the lock, the group and its trapping instructions. */
final class LockCpu {
    static final int RUNNING = 0, SPINNING = 1, HALTED = 2, IN_CS = 3, STOPPED = 4, PATCHING = 5, EXITED = 6;
    private static final String[] STATES = {"running", "spinning in queued_spin_lock_slowpath", "halted in kvm_wait",
        "in the critical section", "waiting in stop_machine", "patching pv_ops.lock", "gone"};

    final int id;
    final LockGuest guest;
    final LockMemory mem;
    final PvOpsLock group;
    final Vm.Cpu cpu;
    volatile int state = RUNNING;
    /** Critical sections entered (single writer: this vCPU's thread). */
    volatile long entered;
    long kicks;
    long halts;
    /** The last stop_machine generation this vCPU joined. */
    int joined;
    private int spins;

    LockCpu(int id, LockGuest guest, Vm.Cpu cpu) {
        this.id = id;
        this.guest = guest;
        this.mem = guest.mem;
        this.group = guest.group;
        this.cpu = cpu;
    }

    /** cpu_relax() in a spin loop; the host preempts a spinning vCPU now and then, as here. */
    void relax() {
        if (guest.stopping) {
            throw new VmStopped();
        }
        Thread.onSpinWait();
        if ((++spins & 63) == 0) {
            Thread.yield();
        }
    }

    /** HLT through KVM_RUN: back when kicked. */
    void halt() throws Vm.VmmException {
        if (guest.stopping) {
            throw new VmStopped();
        }
        halts++;
        cpu.halt();
    }

    String describe() {
        return "vCPU " + id + " " + STATES[state];
    }

    /** The VMM is tearing the guest down: unwinds a vCPU thread from wherever it spins. */
    static final class VmStopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        VmStopped() {
            super(null, null, false, false);
        }
    }
}
