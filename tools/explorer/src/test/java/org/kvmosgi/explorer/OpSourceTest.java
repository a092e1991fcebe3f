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
    public void aParameterIsModuleDotNameEqualsValue() {
        assertEquals(new OpSource.Param("kvm_intel", "ept", "0"), OpSource.Param.parse("kvm-intel.ept=0"));
        assertEquals(new OpSource.Param("kvm", "dispatch", ""), OpSource.Param.parse("kvm.dispatch="));
        assertNull(OpSource.Param.parse("kvm=1"));
        assertNull(OpSource.Param.parse("kvm.=1"));
        assertEquals("kvm", Op.loadWith("kvm", "halt_poll_ns", "0").module());
        assertEquals("/sys/module/kvm/parameters/halt_poll_ns", Op.writeParam("kvm", "halt_poll_ns", "0").paramPath());
    }
}
