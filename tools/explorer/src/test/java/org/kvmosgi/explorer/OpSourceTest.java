package org.kvmosgi.explorer;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.util.List;
import java.util.TreeSet;
import org.junit.Test;

/** Which operations a state offers, with chosen parameter values and forced unloads. */
public class OpSourceTest {
    private static final OpSource SOURCE = new OpSource(List.of("kvm", "kvm_intel"), List.of(), List.of(0L),
            List.of(OpSource.Param.parse("kvm.halt_poll_ns=x"), OpSource.Param.parse("kvm-intel.ept=0")), true);

    private static List<String> lines(State s) {
        return SOURCE.applicable(s).stream().map(Op::toString).toList();
    }

    @Test
    public void anUnloadedModuleIsLoadedWithEachValueAndALoadedOneWrittenAndForced() {
        State none = new State(new TreeSet<>(), "", List.of(), new TreeSet<>(), new TreeSet<>());
        assertEquals(List.of("modprobe kvm", "modprobe kvm_intel", "modprobe kvm halt_poll_ns=x",
                "modprobe kvm_intel ept=0"), lines(none));
        State kvm = new State(new TreeSet<>(List.of("kvm/0")), "", List.of(), new TreeSet<>(List.of("kvm")),
                new TreeSet<>());
        assertEquals(List.of("rmmod kvm", "modprobe kvm_intel", "echo x | tee /sys/module/kvm/parameters/halt_poll_ns",
                "modprobe kvm_intel ept=0", "rmmod -f kvm", "vmfd create 0"), lines(kvm));
    }

    @Test
    public void vmfdCreateIsOfferedUpToTheBoundOnOpenVms() {
        OpSource two = new OpSource(List.of("kvm"), List.of(), List.of(0L), List.of(), false, null, false, 2);
        java.util.function.Function<List<Long>, List<String>> offered = vms -> two.applicable(new State(
                new TreeSet<>(List.of("kvm/" + 2 * vms.size())), "", vms, new TreeSet<>(List.of("kvm")),
                new TreeSet<>())).stream().map(Op::toString).toList();
        assertEquals(List.of("rmmod kvm", "vmfd create 0", "vmfd destroy"), offered.apply(List.of(0L)));
        assertEquals(List.of("rmmod kvm", "vmfd destroy"), offered.apply(List.of(0L, 0L)));
        assertEquals(OpSource.DEFAULT_MAX_VMS, SOURCE.maxVms());
    }

    private static final OpSource VMM = new OpSource(List.of("kvm", "kvm_intel"), List.of(), List.of(0L), List.of(),
            false, new OpSource.Vmm(List.of("--irqchip"), 2, List.of("", "vmcall"), true), true);

    private static List<String> vmmLines(State s) {
        return VMM.applicable(s).stream().map(Op::toString).toList();
    }

    private static State intel(String vmm) {
        return new State(new TreeSet<>(List.of("kvm/1", "kvm_intel/" + (vmm.isEmpty() ? 0 : 4))), "", List.of(),
                new TreeSet<>(List.of("kvm")), new TreeSet<>(), vmm, new TreeSet<>());
    }

    @Test
    public void theVmmMakesOneVmAndRunsItsWorkloadsUpToTheVcpuBound() {
        assertEquals(List.of("rmmod kvm", "rmmod kvm_intel", "felix:stop kvm", "felix:stop kvm_intel", "vmfd create 0",
                "vm create --irqchip vm0"), vmmLines(intel("")));
        assertEquals(List.of("rmmod kvm", "rmmod kvm_intel", "felix:stop kvm", "felix:stop kvm_intel", "vmfd create 0",
                "vm vcpu vm0", "vm run --iterations 4 vm0", "vm run --workload vmcall --iterations 4 vm0",
                "vm destroy vm0"), vmmLines(intel("--irqchip/1")));
        // two vCPUs: the bound, and the pv-lock guest's condition
        assertEquals(List.of("rmmod kvm", "rmmod kvm_intel", "felix:stop kvm", "felix:stop kvm_intel", "vmfd create 0",
                "vm run --iterations 4 vm0", "vm run --workload vmcall --iterations 4 vm0",
                "vm lock --switches 2 --seed 1 vm0", "vm destroy vm0"), vmmLines(intel("--irqchip/2/ran")));
    }

    @Test
    public void aBundleIsStartedRawOnlyOnceItsModuleWasTriedAndWent() {
        State gone = new State(new TreeSet<>(List.of("kvm/0")), "", List.of(), new TreeSet<>(List.of("kvm")),
                new TreeSet<>(List.of("kvm_intel")));
        assertEquals(List.of("rmmod kvm", "modprobe kvm_intel", "felix:stop kvm", "felix:start kvm_intel",
                "vmfd create 0", "vm create --irqchip vm0"), vmmLines(gone));
        assertEquals("felix:start 23", Op.rawStart("kvm_intel").line(-1, 23));
        assertEquals("felix:stop 21", Op.rawStop("kvm_hv").line(-1, 21));
        assertEquals("felix:stop ID", Op.rawStop("kvm_hv").line(-1));
        assertEquals("kvm_intel", Op.rawStart("kvm_intel").module());
    }

    @Test
    public void aPowerVmHasNoPvLockGuestAndTakesItsType() {
        OpSource ppc = new OpSource(List.of("kvm_hv"), List.of(), List.of(1L), List.of(), false,
                new OpSource.Vmm(List.of("--type hv"), 1, List.of(""), true), false);
        State hv = new State(new TreeSet<>(List.of("kvm_hv/1")), "", List.of(), new TreeSet<>(List.of("kvm")),
                new TreeSet<>(), "--type hv/1", new TreeSet<>());
        assertEquals(List.of("rmmod kvm_hv", "vmfd create 1", "vm run --iterations 4 vm0", "vm destroy vm0"),
                ppc.applicable(hv).stream().map(Op::toString).toList());
        assertEquals("vm create --type hv vm0", Op.vmmCreate("--type hv").toString());
    }

    @Test
    public void theVmmsVmIsInTheKeyOnlyWhenThere() {
        assertEquals(intel("").key(true), new State(new TreeSet<>(List.of("kvm/1", "kvm_intel/0")), "", List.of(),
                new TreeSet<>(List.of("kvm")), new TreeSet<>()).key(true));
        State freed = new State(new TreeSet<>(List.of("kvm/0")), "", List.of(0L), new TreeSet<>(), new TreeSet<>(),
                "--irqchip/2/ran/freed", new TreeSet<>(List.of(0)));
        assertEquals("[kvm/0]||[0]|[]|[]|vmm --irqchip/2/ran/freed|freed [0]", freed.key(true));
        assertEquals(2, freed.vmmVcpus());
        assertEquals(true, freed.vmmFreed());
        assertEquals("--irqchip", freed.vmmOptions());
    }

    @Test
    public void aParameterIsModuleDotNameEqualsValue() {
        assertEquals(new OpSource.Param("kvm_intel", "ept", "0"), OpSource.Param.parse("kvm-intel.ept=0"));
        assertEquals(new OpSource.Param("kvm", "dispatch", ""), OpSource.Param.parse("kvm.dispatch="));
        assertNull(OpSource.Param.parse("kvm=1"));
        assertNull(OpSource.Param.parse("kvm.=1"));
        assertEquals("kvm", Op.loadWith("kvm", "halt_poll_ns", "0").module());
        assertEquals("/sys/module/kvm/parameters/halt_poll_ns", Op.writeParam("kvm", "halt_poll_ns", "0").paramPath());
    }
}
