package org.kvmosgi.kvmtool.guest.pvlock;

import static org.kvmosgi.kvmtool.guest.pvlock.LockMemory.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.kvmosgi.kvm.api.x86.X86;
import org.kvmosgi.kvmtool.vmm.Vm;

/**
 * The guest kernel: every vCPU thread takes and releases one spinlock in guest RAM in a
 * loop, through pv_ops.lock; vCPU 0 reads KVM_CPUID_FEATURES (CPUID 0x40000001) on each
 * round and, when KVM_HINTS_REALTIME changed, switches the group (realtime: the native
 * lock; otherwise the pv lock) the way {@link SwitchVariant} says. At boot it decides as
 * kvm_spinlock_init() does and prints the same {@code kvm-guest: } lines to its console.
 *
 * <p>The guest's code outside the trapping instructions is Java on the vCPU threads; the
 * lock word, the waiters and the protected data are in guest memory, and CPUID, the kick
 * (VMCALL) and the wait (HLT) run as guest code inside KVM_RUN.
 */
public final class LockGuest {
    /** The time one text_poke_bp() of a call site takes, stretched so that a half-patched group is seen. */
    static final long PATCH_ONE_SITE_NANOS = 200_000;
    private static final int CONSOLE_LINES = 64;

    final Vm vm;
    final int ncpu;
    final LockMemory mem;
    final PvOpsLock group;
    final SwitchVariant variant;
    final StopMachine stopper;
    private final TicketLock nativeOps = new TicketLock();
    private final PvTasLock pvOps = new PvTasLock();
    private final boolean nopvspin;
    private boolean pvAllowed;
    private final LockCpu[] cpus;
    private final Thread[] threads;
    private final List<String> console = new ArrayList<>();
    private int consoleDropped;

    volatile boolean stopping;
    volatile int switches;
    volatile int toNative;
    volatile int toPv;
    private volatile String violation;
    private volatile Throwable error;

    /** Boots the guest kernel on {@code vm}'s vCPUs (x86, in-kernel irqchip); {@link #start()} runs it. */
    public LockGuest(Vm vm, SwitchVariant variant, boolean nopvspin) throws Vm.VmmException {
        if (vm.vcpuCount() > 31) {
            throw new Vm.VmmException("the guest's waiters word holds 31 vCPUs; VM " + vm.name + " has " + vm.vcpuCount(), 22);
        }
        if (!vm.irqchip()) {
            throw new Vm.VmmException("the pv lock halts and kicks through the in-kernel irqchip (create the VM with --irqchip)", 22);
        }
        this.vm = vm;
        this.ncpu = vm.vcpuCount();
        this.variant = variant;
        this.nopvspin = nopvspin;
        this.mem = new LockMemory(vm.guestMemory());
        mem.clear();
        vm.resetVcpus(); // a previous guest may have left a vCPU halted
        this.stopper = new StopMachine(ncpu);
        this.cpus = new LockCpu[ncpu];
        this.threads = new Thread[ncpu];
        PvLockOps initial = spinlockInit(vm.cpu(0));
        this.group = new PvOpsLock(initial);
        for (int i = 0; i < ncpu; i++) {
            cpus[i] = new LockCpu(i, this, vm.cpu(i));
        }
    }

    /** kvm_spinlock_init(), on the boot vCPU. */
    private PvLockOps spinlockInit(Vm.Cpu boot) throws Vm.VmmException {
        long[] r = new long[4];
        boot.cpuid(X86.KVM_CPUID_FEATURES, r);
        boolean unhalt = (r[0] & (1 << X86.KVM_FEATURE_PV_UNHALT)) != 0;
        boolean realtime = (r[3] & (1 << X86.KVM_HINTS_REALTIME)) != 0;
        if (!unhalt) {
            print("kvm-guest: PV spinlocks disabled, no host support");
            return nativeOps; // model: Linux keeps virt_spin_lock's test-and-set here; the model has no third lock
        }
        pvAllowed = ncpu > 1 && !nopvspin;
        return pvLockFor(realtime, true);
    }

    /** What kvm_spinlock_init() says and picks for the hint; the switch path says it again. */
    private PvLockOps pvLockFor(boolean realtime, boolean print) {
        String why;
        PvLockOps ops;
        if (realtime) {
            why = "kvm-guest: PV spinlocks disabled with KVM_HINTS_REALTIME hints";
            ops = nativeOps;
        } else if (ncpu == 1) {
            why = "kvm-guest: PV spinlocks disabled, single CPU";
            ops = nativeOps;
        } else if (nopvspin) {
            why = "kvm-guest: PV spinlocks disabled, forced by \"nopvspin\" parameter";
            ops = nativeOps;
        } else {
            why = "kvm-guest: PV spinlocks enabled";
            ops = pvOps;
        }
        if (print) {
            print(why);
        }
        return ops;
    }

    /** Starts one thread per vCPU. */
    public void start() {
        for (int i = 0; i < ncpu; i++) {
            LockCpu c = cpus[i];
            threads[i] = new Thread(() -> loop(c), "vcpu-" + vm.name + "-" + i);
            threads[i].setDaemon(true);
            threads[i].start();
        }
    }

    private void loop(LockCpu c) {
        long[] r = new long[4];
        try {
            while (!stopping) {
                if (c.id == 0 && pvAllowed) {
                    c.cpu.cpuid(X86.KVM_CPUID_FEATURES, r);
                    boolean realtime = (r[3] & (1 << X86.KVM_HINTS_REALTIME)) != 0;
                    PvLockOps want = pvLockFor(realtime, false);
                    if (group.whole() != want) {
                        switchTo(c, want, realtime);
                    }
                }
                stopper.safePoint(c);
                group.slowpath.lockSlowpath(c);
                criticalSection(c);
                c.state = LockCpu.RUNNING;
                group.unlock.unlock(c);
            }
        } catch (LockCpu.VmStopped e) {
            // the VMM stops the guest
        } catch (Vm.VmmException | RuntimeException e) {
            if (!stopping) {
                error = e;
            }
        } finally {
            c.state = LockCpu.EXITED;
        }
    }

    private void criticalSection(LockCpu c) {
        c.state = LockCpu.IN_CS;
        if (mem.getAndAdd(HOLDERS, 1) != 0) {
            violated("vCPU " + c.id + " entered the critical section while another vCPU was in it (lock word 0x"
                    + Integer.toHexString(mem.get(LOCK)) + ", " + group.describe() + ")");
        }
        int v = mem.get(COUNTER);
        Thread.onSpinWait();
        mem.set(COUNTER, v + 1);
        c.entered++;
        mem.getAndAdd(HOLDERS, -1);
    }

    private void violated(String what) {
        if (violation == null) {
            violation = what;
        }
    }

    /** The group switch, on vCPU 0 at its safe point (it holds no lock). */
    private void switchTo(LockCpu c, PvLockOps to, boolean realtime) {
        PvLockOps from = group.slowpath;
        long t0 = System.nanoTime();
        switch (variant) {
            case STOP_MACHINE:
                stopper.run(c, () -> {
                    int w = mem.get(LOCK);
                    if (!from.unlocked(w) || mem.get(WAITERS) != 0) {
                        violated("BUG: lock held at stop_machine (word 0x" + Integer.toHexString(w) + ")");
                    }
                    for (int i = 0; i < PvOpsLock.OPS.length; i++) {
                        group.patch(i, to);
                    }
                    mem.set(LOCK, to.unlockedWord()); // carry "unlocked" over into the new representation
                });
                break;
            case NO_TRANSFER:
                stopper.run(c, () -> {
                    for (int i = 0; i < PvOpsLock.OPS.length; i++) {
                        group.patch(i, to);
                    }
                });
                break;
            case ONE_BY_ONE:
                c.state = LockCpu.PATCHING;
                for (int i = 0; i < PvOpsLock.OPS.length; i++) {
                    group.patch(i, to);
                    LockSupport.parkNanos(PATCH_ONE_SITE_NANOS);
                }
                carryOverWithoutRendezvous(from, to);
                c.state = LockCpu.RUNNING;
                break;
            default:
                throw new IllegalStateException(variant.toString());
        }
        long us = (System.nanoTime() - t0) / 1000;
        if (to == pvOps) {
            toPv++;
        } else {
            toNative++;
        }
        switches++;
        pvLockFor(realtime, true);
        print(String.format("kvm-guest: pv_ops.lock switched from %s to %s (%s, %d us)", from.name(), to.name(),
                variant == SwitchVariant.ONE_BY_ONE ? "op by op, no rendezvous" : "stop_machine", us));
    }

    /**
     * What a careful switch without stop_machine can do for the lock word: turn an
     * unlocked old word into the new unlocked word with a compare-and-swap, when it sees
     * one (a while, then it gives up). It races with the vCPUs that are already using
     * the half-switched group: which is the point.
     */
    private void carryOverWithoutRendezvous(PvLockOps from, PvLockOps to) {
        for (int tries = 0; tries < 1000; tries++) {
            int w = mem.get(LOCK);
            if (to.unlocked(w) || (from.unlocked(w) && mem.cas(LOCK, w, to.unlockedWord()))) {
                return;
            }
            Thread.onSpinWait();
        }
    }

    private synchronized void print(String line) {
        if (console.size() < CONSOLE_LINES) {
            console.add(line);
        } else {
            consoleDropped++;
        }
    }

    /** Stops the vCPU threads (as the VMM kills its vCPUs): spins unwind, halts end with EINTR. */
    public void stop() {
        stopping = true;
        for (Thread t : threads) {
            if (t != null) {
                t.interrupt();
            }
        }
        for (Thread t : threads) {
            if (t != null) {
                try {
                    t.join(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    // ---- what the stress run and the command read ----

    public long entered() {
        long n = 0;
        for (LockCpu c : cpus) {
            n += c.entered;
        }
        return n;
    }

    public int switches() {
        return switches;
    }

    public int toNative() {
        return toNative;
    }

    public int toPv() {
        return toPv;
    }

    /** Whether the guest switches at all (PV_UNHALT, more than one vCPU, no nopvspin). */
    public boolean switchable() {
        return pvAllowed;
    }

    public long counter() {
        return mem.get(COUNTER) & 0xffffffffL;
    }

    public String violation() {
        return violation;
    }

    public Throwable error() {
        return error;
    }

    public int stopMachineRuns() {
        return stopper.runs();
    }

    public long stoppedNanos() {
        return stopper.stoppedNanos();
    }

    public long longestStopNanos() {
        return stopper.longestNanos();
    }

    public long kicks() {
        long n = 0;
        for (LockCpu c : cpus) {
            n += c.kicks;
        }
        return n;
    }

    public long halts() {
        long n = 0;
        for (LockCpu c : cpus) {
            n += c.halts;
        }
        return n;
    }

    /** Where everything stands: for a hang's report. */
    public List<String> snapshot() {
        List<String> l = new ArrayList<>();
        int w = mem.get(LOCK);
        l.add(String.format("lock word 0x%08x: ticket head %d tail %d (%s); test-and-set %s; waiters 0x%x",
                w, w & 0xffff, w >>> 16, nativeOps.unlocked(w) ? "unlocked" : "held",
                pvOps.unlocked(w) ? "unlocked" : "held", mem.get(WAITERS)));
        l.add("pv_ops.lock: " + group.describe());
        for (LockCpu c : cpus) {
            l.add(c.describe());
        }
        return l;
    }

    public synchronized List<String> console() {
        List<String> l = new ArrayList<>(console);
        if (consoleDropped > 0) {
            l.add("... " + consoleDropped + " more lines");
        }
        return l;
    }
}
