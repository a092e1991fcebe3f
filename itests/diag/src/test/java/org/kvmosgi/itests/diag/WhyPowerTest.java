package org.kvmosgi.itests.diag;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** why on PowerPC's split layout: kvm alone answers but cannot create a VM, and says why. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WhyPowerTest extends ShellTestBase {
    @Configuration
    public Option[] config() {
        return options(platformWith("power9", "kvm-ppc"));
    }

    @Test
    public void kvmAloneCannotCreateAVm() throws Exception {
        assertEquals("", sh.run("modprobe kvm").transcript());
        List<String> why = lines(sh.run("why vm 0").transcript());
        assertEquals("KVM_CREATE_VM(0) fails with -EINVAL: no HV or PR implementation is loaded (kvm is live alone: "
                + "kvm_hv, kvm_pr not live)", why.get(0));
        assertEquals("observed: KVM_CREATE_VM(0) = -EINVAL (Invalid argument)", why.get(1));
        assertEquals("FAIL: vmfd: KVM_CREATE_VM(0) failed: Invalid argument", sh.run("vmfd create 0").transcript());
        assertEquals("invariants: all hold\n", sh.run("invariants").transcript());
    }

    @Test
    public void anInjectedHvFailureIsTheRootCauseOfTheHvVmAndLeavesNothing() throws Exception {
        sh.run("failfn inject kvm_hv:kvmppc_radix_init ENOMEM");
        assertEquals("FAIL: modprobe: ERROR: could not insert 'kvm_hv': Cannot allocate memory", sh.run("modprobe kvm_hv").transcript());
        List<String> why = lines(sh.run("why vm 1").transcript());
        assertEquals("KVM_CREATE_VM(1) fails with -EINVAL: no HV implementation is loaded (kvm is live alone: kvm_hv "
                + "not live)", why.get(0));
        assertEquals("root cause: kvm_hv: its last load failed with -ENOMEM (Cannot allocate memory) at "
                + "kvm_hv:kvmppc_radix_init, host power9", why.get(2));
        assertEquals("invariants: all hold\n", sh.run("invariants").transcript());
        assertEquals("", sh.run("modprobe kvm_hv").transcript());
        assertTrue(sh.run("vmfd create 1").transcript().startsWith("VM fd "));
        assertEquals("kvm_hv is live, held by 1 open file(s) or reference(s)", lines(sh.run("why kvm_hv").transcript()).get(0));
        assertEquals("invariants: all hold\n", sh.run("invariants").transcript());
    }
}
