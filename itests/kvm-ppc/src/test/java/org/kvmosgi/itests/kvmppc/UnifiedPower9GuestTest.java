package org.kvmosgi.itests.kvmppc;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.kvmosgi.testsupport.kit.KernelAssert.assertDmesgInOrder;
import static org.kvmosgi.testsupport.kit.KernelAssert.assertNoLeakReported;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** Unified layout where neither HV nor PR can work: the load fails and nothing stays — no kvm-alone state. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class UnifiedPower9GuestTest extends PpcTestBase {
    private static final String HV_ONLY = "/opt/kvm-unified-hv/kvm.ko";

    @Configuration
    public Option[] config() {
        Option o = ppc("power9-guest", "kvm-ppc-unified");
        extraModule("kvm-unified-hv", "kvm-unified-hv");
        return options(o);
    }

    @Test
    public void noKvmAloneState() throws Exception {
        assertEquals("HV's error: the implementation type 0 prefers",
                "FAIL: modprobe: ERROR: could not insert 'kvm': No such device", sh.run("modprobe kvm_hv").outOrFailure());
        assertDmesgInOrder(kernel, "kvm-hv: Parent hypervisor does not support nesting (rc=-2)");
        assertEquals(List.of(), loaded());
        assertFalse(devKvm());
        assertNoLeakReported(kernel);
    }

    @Test
    public void HV_ONLYBuildFailsWithHvsErrno() throws Exception {
        assertEquals("FAIL: insmod: ERROR: could not insert module " + HV_ONLY + ": No such device",
                sh.run("insmod " + HV_ONLY).outOrFailure());
        assertEquals(List.of(), loaded());
        assertFalse(devKvm());
    }
}
