package org.kvmosgi.kvm.x86;

import static org.junit.Assert.*;
import static org.kvmosgi.kvm.x86.Kvms.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.Test;
import org.kvmosgi.kernel.testkit.TestKernel;
import org.kvmosgi.kvmtool.guest.pvlock.LockStress;
import org.kvmosgi.kvmtool.guest.pvlock.SwitchVariant;
import org.kvmosgi.kvmtool.vmm.Vm;

/**
 * The guest's pv lock ops switched at run time while its vCPUs (threads in KVM_RUN on
 * kvm_intel) contend one lock: the stop_machine switch never breaks mutual exclusion or
 * hangs; switching op by op, or without carrying the lock word over, does one or the
 * other. Short here; {@code -Dpvlock.long=true} runs many more switches.
 */
public class PvLockSwitchTest {
    private static final boolean LONG = Boolean.getBoolean("pvlock.long");
    private static final int VCPUS = 4;

    private static LockStress.Result run(SwitchVariant v, int switches, long seed) throws Exception {
        TestKernel k = Kvms.kernel(intel());
        assertEquals(0, loadKvm(k));
        assertEquals(0, loadIntel(k));
        try (Vm vm = Vm.create(k.syscalls(), "pv", VCPUS, Vm.DEFAULT_MEM, true)) {
            LockStress.Result r = LockStress.run(vm, new LockStress.Options(v, switches, 1500, seed, false));
            if (r.outcome() != LockStress.Outcome.OK) {
                // the hazard found, with the command line that shows it again
                List<String> report = new ArrayList<>();
                LockStress.print("pv", r, report::add);
                System.out.println(String.join("\n", report.subList(0, Math.min(report.size(), 14))));
            }
            return r;
        }
    }

    @Test
    public void stopMachineKeepsMutualExclusionThroughEverySwitch() throws Exception {
        int switches = LONG ? 5000 : 60;
        LockStress.Result r = run(SwitchVariant.STOP_MACHINE, switches, 1);
        assertEquals(r.detail(), LockStress.Outcome.OK, r.outcome());
        assertEquals(switches, r.switches());
        assertEquals("every switch is one rendezvous", switches, r.stopMachineRuns());
        assertEquals(r.entered(), r.counter());
        assertTrue("the vCPUs contended: " + r.entered(), r.entered() > switches);
        assertTrue("the pv lock halted and kicked", r.halts() > 0 && r.kicks() > 0);
        assertTrue(r.console().get(0), r.console().get(0).equals("kvm-guest: PV spinlocks enabled"));
        assertTrue(r.console().contains("kvm-guest: PV spinlocks disabled with KVM_HINTS_REALTIME hints"));
    }

    @Test
    public void switchingOneOpAtATimeBreaksTheLock() throws Exception {
        LockStress.Result r = run(SwitchVariant.ONE_BY_ONE, LONG ? 5000 : 400, 2);
        assertNotEquals("one_by_one ran " + r.switches() + " switches unharmed", LockStress.Outcome.OK, r.outcome());
        assertTrue(r.outcome().toString(), r.outcome() == LockStress.Outcome.BROKEN || r.outcome() == LockStress.Outcome.HANG);
        assertEquals("no rendezvous", 0, r.stopMachineRuns());
    }

    @Test
    public void implementationsThatDisagreeOnUnlockedHang() throws Exception {
        LockStress.Result r = run(SwitchVariant.NO_TRANSFER, LONG ? 5000 : 40, 3);
        assertEquals(r.detail(), LockStress.Outcome.HANG, r.outcome());
        // native -> pv with the ticket word left at head == tail != 0: test-and-set reads it as held
        assertTrue(String.join("\n", r.snapshot()), r.snapshot().get(0).contains("ticket head")
                && r.snapshot().get(0).contains("(unlocked); test-and-set held"));
    }

    @Test
    public void realtimeAtBootPicksTheNativeLockAndNopvspinNeverSwitches() throws Exception {
        TestKernel k = Kvms.kernel(intel());
        assertEquals(0, loadKvm(k));
        assertEquals(0, loadIntel(k));
        try (Vm vm = Vm.create(k.syscalls(), "pv", 2, Vm.DEFAULT_MEM, true)) {
            vm.setRealtimeHint(true);
            LockStress.Result r = LockStress.run(vm, new LockStress.Options(SwitchVariant.STOP_MACHINE, 2, 1500, 4, false));
            assertEquals(r.detail(), LockStress.Outcome.OK, r.outcome());
            assertEquals("kvm-guest: PV spinlocks disabled with KVM_HINTS_REALTIME hints", r.console().get(0));
            assertEquals(1, r.toPv());
            assertEquals(1, r.toNative());
            vm.setRealtimeHint(false); // kvm_spinlock_init checks the hint before nopvspin
            r = LockStress.run(vm, new LockStress.Options(SwitchVariant.STOP_MACHINE, 2, 1500, 4, true));
            assertEquals("kvm-guest: PV spinlocks disabled, forced by \"nopvspin\" parameter", r.console().get(0));
            assertEquals(0, r.switches());
            assertEquals(LockStress.Outcome.OK, r.outcome());
        }
        try (Vm one = Vm.create(k.syscalls(), "one", 1, Vm.DEFAULT_MEM, true)) {
            LockStress.Result r = LockStress.run(one, new LockStress.Options(SwitchVariant.STOP_MACHINE, 1, 1500, 4, false));
            assertEquals("kvm-guest: PV spinlocks disabled, single CPU", r.console().get(0));
        }
    }
}
