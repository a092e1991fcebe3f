package org.kvmosgi.kvmtool.guest.pvlock;

import static org.kvmosgi.kvmtool.guest.pvlock.LockMemory.LOCK;
import static org.kvmosgi.kvmtool.guest.pvlock.LockMemory.WAITERS;

import org.kvmosgi.kvm.api.x86.X86;
import org.kvmosgi.kvmtool.vmm.Vm;

/**
 * The pv lock: test-and-set (0 unlocked, 1 locked). A waiter spins a while, then marks
 * itself in the waiters word and halts in kvm_wait (HLT, which sleeps in KVM_RUN); the
 * unlocker clears the word and kicks one marked waiter with KVM_HC_KICK_CPU. A kick that
 * comes before the HLT is not lost: it leaves pv_unhalted set, and the HLT returns.
 */
final class PvTasLock implements PvLockOps {
    /** SPIN_THRESHOLD: tries before halting (Linux: 1 << 15; fewer here, the model's vCPUs are threads). */
    static final int SPIN_THRESHOLD = 1 << 6;

    @Override
    public String name() {
        return "pv";
    }

    @Override
    public String[] targets() {
        return new String[] {"pv_tas_lock_slowpath", "pv_tas_unlock", "kvm_wait", "kvm_kick_cpu"};
    }

    @Override
    public void lockSlowpath(LockCpu c) throws Vm.VmmException {
        LockMemory m = c.mem;
        int me = 1 << c.id;
        for (;;) {
            c.state = LockCpu.SPINNING;
            for (int i = 0; i < SPIN_THRESHOLD; i++) {
                if (m.get(LOCK) == 0 && m.cas(LOCK, 0, 1)) {
                    return;
                }
                c.relax();
            }
            m.or(WAITERS, me); // before the last look: an unlocker after it sees the mark
            if (m.cas(LOCK, 0, 1)) {
                m.andNot(WAITERS, me);
                return;
            }
            c.group.wait.waitOn(c, LOCK, 1); // pv_wait
            m.andNot(WAITERS, me);
        }
    }

    @Override
    public void unlock(LockCpu c) throws Vm.VmmException {
        LockMemory m = c.mem;
        m.set(LOCK, 0);
        int waiters = m.get(WAITERS) & ~(1 << c.id);
        if (waiters != 0) {
            // the next marked vCPU after this one, round robin
            int n = c.guest.ncpu;
            for (int i = 1; i <= n; i++) {
                int cpu = (c.id + i) % n;
                if ((waiters & (1 << cpu)) != 0) {
                    c.group.kick.kick(c, cpu); // pv_kick
                    return;
                }
            }
        }
    }

    /** kvm_wait(): halt unless the word already changed. */
    @Override
    public void waitOn(LockCpu c, int ptr, int val) throws Vm.VmmException {
        if (c.mem.get(ptr) != val) {
            return;
        }
        c.state = LockCpu.HALTED;
        c.halt();
        c.state = LockCpu.SPINNING;
    }

    /** kvm_kick_cpu(): KVM_HC_KICK_CPU(flags 0, apicid). */
    @Override
    public void kick(LockCpu c, int cpu) throws Vm.VmmException {
        c.cpu.hypercall(X86.KVM_HC_KICK_CPU, 0, cpu);
        c.kicks++;
    }

    @Override
    public boolean unlocked(int word) {
        return word == 0;
    }

    @Override
    public int unlockedWord() {
        return 0;
    }
}
