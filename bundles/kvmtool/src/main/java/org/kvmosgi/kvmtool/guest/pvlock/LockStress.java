package org.kvmosgi.kvmtool.guest.pvlock;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.kvmosgi.kvmtool.vmm.Vm;

/**
 * The stress run: the guest's vCPUs hammer the lock while the VMM flips
 * KVM_HINTS_REALTIME with KVM_SET_CPUID2, waiting each time for the guest to switch its
 * lock ops. It stops at the first broken mutual exclusion (two vCPUs in the critical
 * section, or lost updates of the protected counter), at a hang, or when all switches
 * are done. A hang is either no critical section for {@link Options#hangMillis}, or a
 * switch the VMM asked for that the guest has not made for {@link #SWITCH_STALL_FACTOR}
 * times that long: a vCPU halted for good (a lost kick) stops the switching vCPU or holds
 * the vCPU mutex KVM_SET_CPUID2 needs, while the other vCPUs may go on taking the lock.
 */
public final class LockStress {
    /** What to run. {@code seed} spaces the VMM's hint flips (0 to 1 ms apart). */
    public record Options(SwitchVariant variant, int switches, long hangMillis, long seed, boolean nopvspin) {}

    public enum Outcome {
        OK("ok: mutual exclusion held, no hang"),
        BROKEN("BROKEN MUTUAL EXCLUSION"),
        HANG("HANG"),
        ERROR("ERROR"),
        /** Ctrl-C: the run was cut short; what it found so far is reported. */
        INTERRUPTED("interrupted");

        public final String text;

        Outcome(String text) {
            this.text = text;
        }
    }

    /** What a run found. */
    public record Result(Options options, int vcpus, Outcome outcome, String detail, List<String> snapshot,
            int switches, int toNative, int toPv, long entered, long counter, int stopMachineRuns, long stoppedNanos,
            long longestStopNanos, long kicks, long halts, long millis, List<String> console) {}

    /** A pending switch may take this many hang periods before it counts as a hang (a loaded host is slow). */
    static final int SWITCH_STALL_FACTOR = 4;

    private LockStress() {}

    public static Result run(Vm vm, Options o) throws Vm.VmmException {
        LockGuest guest = new LockGuest(vm, o.variant(), o.nopvspin());
        long t0 = System.nanoTime();
        Vmm vmm = new Vmm(vm, guest, o);
        guest.start();
        vmm.start();
        Outcome outcome = Outcome.OK;
        String detail = null;
        List<String> snapshot = List.of();
        long lastProgress = -1;
        long lastChange = System.nanoTime();
        int lastSwitches = -1;
        long lastSwitch = lastChange;
        for (;;) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            if (Thread.interrupted()) {
                outcome = Outcome.INTERRUPTED;
                detail = "after " + guest.switches() + " switch(es)";
                break;
            }
            if (guest.violation() != null) {
                outcome = Outcome.BROKEN;
                detail = guest.violation();
                snapshot = guest.snapshot();
                break;
            }
            Throwable err = guest.error() != null ? guest.error() : vmm.error;
            if (err != null) {
                outcome = Outcome.ERROR;
                detail = err.getMessage();
                snapshot = guest.snapshot();
                break;
            }
            long now = System.nanoTime();
            int switches = guest.switches();
            long progress = guest.entered() + switches;
            if (progress != lastProgress) {
                lastProgress = progress;
                lastChange = now;
            } else if (now - lastChange > TimeUnit.MILLISECONDS.toNanos(o.hangMillis())) {
                outcome = Outcome.HANG;
                detail = "no vCPU entered the critical section for " + o.hangMillis() + " ms, after " + switches
                        + " switch(es)";
                snapshot = guest.snapshot();
                break;
            }
            if (switches != lastSwitches || !vmm.isAlive() || !guest.switchable()) {
                lastSwitches = switches;
                lastSwitch = now;
            } else if (now - lastSwitch > TimeUnit.MILLISECONDS.toNanos(SWITCH_STALL_FACTOR * o.hangMillis())) {
                outcome = Outcome.HANG;
                detail = "the guest made no switch for " + SWITCH_STALL_FACTOR * o.hangMillis() + " ms after the VMM's hint flip "
                        + (switches + 1) + " (a vCPU halted for good), while the others went on";
                snapshot = guest.snapshot();
                break;
            }
            if (!vmm.isAlive()) {
                break;
            }
        }
        guest.stop();
        vmm.interrupt();
        try {
            vmm.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long entered = guest.entered();
        long counter = guest.counter();
        if ((outcome == Outcome.OK || outcome == Outcome.INTERRUPTED) && counter != (entered & 0xffffffffL)) {
            outcome = Outcome.BROKEN;
            detail = "the protected counter is " + counter + " after " + entered + " critical sections: updates were lost";
        }
        return new Result(o, vm.vcpuCount(), outcome, detail, snapshot, guest.switches(), guest.toNative(), guest.toPv(),
                entered, counter, guest.stopMachineRuns(), guest.stoppedNanos(), guest.longestStopNanos(), guest.kicks(),
                guest.halts(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), guest.console());
    }

    /** The VMM's side: flips the hint on every vCPU (KVM_SET_CPUID2) and waits for the guest to follow. */
    private static final class Vmm extends Thread {
        private final Vm vm;
        private final LockGuest guest;
        private final Options o;
        volatile Throwable error;

        Vmm(Vm vm, LockGuest guest, Options o) {
            super("vmm-" + vm.name);
            setDaemon(true);
            this.vm = vm;
            this.guest = guest;
            this.o = o;
        }

        @Override
        public void run() {
            SplittableRandom random = new SplittableRandom(o.seed());
            try {
                for (int i = 1; i <= o.switches() && !guest.stopping; i++) {
                    LockSupport.parkNanos(random.nextLong(1_000_000));
                    vm.setRealtimeHint(!vm.realtimeHint());
                    if (!guest.switchable()) {
                        continue; // the guest has one lock for good: nothing to wait for
                    }
                    while (guest.switches() < i && !guest.stopping && !isInterrupted()) {
                        LockSupport.parkNanos(100_000);
                    }
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // a tail of contention after the last switch
            } catch (Vm.VmmException e) {
                if (!guest.stopping) {
                    error = e;
                }
            }
        }
    }

    /** The command line that runs this again (the vCPU threads' interleaving is the host's: a rerun fails alike, not identically). */
    public static String reproducer(String vmName, int vcpus, Options o) {
        return "./kvmsh -c \"vm create --vcpus " + vcpus + " --irqchip " + vmName + "; vm lock --switch " + o.variant().id
                + " --switches " + o.switches() + " --seed " + o.seed() + (o.hangMillis() != 2000 ? " --hang-ms " + o.hangMillis() : "")
                + (o.nopvspin() ? " --nopvspin" : "") + " " + vmName
                + "\"";
    }

    /** The report, one line at a time (the command prints it; a test prints it on failure). */
    public static void print(String vmName, Result r, java.util.function.Consumer<String> out) {
        Options o = r.options();
        out.accept(String.format("%s: pv lock ops, %d vCPUs, switch %s: %s", vmName, r.vcpus(), o.variant().id,
                o.variant().description));
        out.accept(String.format("  switches      %d of %d (to native %d, to pv %d)", r.switches(), o.switches(),
                r.toNative(), r.toPv()));
        out.accept(String.format("  stop_machine  %d, longest %.3f ms from request to release; vCPUs stopped %.3f ms in all",
                r.stopMachineRuns(), r.longestStopNanos() / 1e6, r.stoppedNanos() / 1e6));
        out.accept(String.format("  lock          %d critical sections, counter %d, %d halts, %d kicks, %d ms",
                r.entered(), r.counter(), r.halts(), r.kicks(), r.millis()));
        out.accept("  result        " + r.outcome().text + (r.detail() == null ? "" : ": " + r.detail()));
        for (String s : r.snapshot()) {
            out.accept("                " + s);
        }
        if (r.outcome() == Outcome.BROKEN || r.outcome() == Outcome.HANG) {
            out.accept("  reproduce     " + reproducer(vmName, r.vcpus(), o));
        }
        out.accept("  guest console:");
        for (String l : r.console()) {
            out.accept("    " + l);
        }
    }

    static List<String> lines(String vmName, Result r) {
        List<String> l = new ArrayList<>();
        print(vmName, r, l::add);
        return l;
    }
}
