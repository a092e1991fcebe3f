package org.kvmosgi.itests.kvmppc;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
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

/**
 * power9-no-tlbie: bare metal whose TLBIE is unusable. kvm_hv's first check refuses it with
 * its message and -ENODEV; PR refuses radix POWER9: kvm stays alone and kvmtool meets it
 * at KVM_CREATE_VM.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class VmmPower9NoTlbieTest extends VmmTestBase {
    @Configuration
    public Option[] config() {
        return options(ppc("power9-no-tlbie", "kvm-ppc"));
    }

    @Test
    public void hvRefusesWithoutTlbie() throws Exception {
        assertEquals("FAIL: modprobe: ERROR: could not insert 'kvm_hv': No such device", sh.run("modprobe kvm_hv").outOrFailure());
        assertDmesgInOrder(kernel, "KVM-HV: Host does not support TLBIE");
        assertEquals("FAIL: modprobe: ERROR: could not insert 'kvm_pr': Input/output error", sh.run("modprobe kvm_pr").outOrFailure());
        assertEquals(List.of("kvm"), loaded());
        assertTrue(devKvm());
        for (String type : List.of("", "--type hv", "--type pr")) {
            assertEquals("FAIL: vm: KVM_CREATE_VM failed: Invalid argument", create("v", type));
        }
        assertNoLeakReported(kernel);
    }
}
