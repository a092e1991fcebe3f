package org.kvmosgi.itests.kvmppc;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
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
 * power9-guest-hpt: an LPAR in HPT mode without hypervisor mode or nesting. HV cannot
 * work (not HV mode, not radix: -ENODEV, silently); PR can, and runs the guests.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class VmmPower9GuestHptTest extends VmmTestBase {
    @Configuration
    public Option[] config() {
        return options(ppc("power9-guest-hpt", "kvm-ppc"));
    }

    @Test
    public void prWorksHvDoesNot() throws Exception {
        assertEquals("FAIL: modprobe: ERROR: could not insert 'kvm_hv': No such device", sh.run("modprobe kvm_hv").outOrFailure());
        assertEquals("", sh.run("modprobe kvm_pr").outOrFailure());
        assertEquals(List.of("kvm", "kvm_pr"), loaded());
        assertEquals("FAIL: vm: KVM_CREATE_VM failed: Invalid argument", create("h", "--type hv"));
        assertEquals("p: 1 vCPU, 64 KiB, type pr\n", create("p", "--type pr"));
        runsEachWorkload("p", 20);
        assertTrue("type 0 falls back to PR", create("d", "").startsWith("d: "));
        assertEquals(2, kernel.refcnt("kvm_pr"));
        assertNoLeakReported(kernel);
    }
}
