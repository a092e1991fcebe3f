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
 * power9-guest-nested: an LPAR whose hypervisor grants nesting (H_SET_PARTITION_TABLE
 * works), so kvm_hv loads as a nested hypervisor and runs HV guests; PR still refuses
 * a radix POWER9.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class VmmPower9GuestNestedTest extends VmmTestBase {
    @Configuration
    public Option[] config() {
        return options(ppc("power9-guest-nested", "kvm-ppc"));
    }

    @Test
    public void hvWorksNested() throws Exception {
        assertEquals("", sh.run("modprobe kvm_hv").outOrFailure());
        assertEquals("FAIL: modprobe: ERROR: could not insert 'kvm_pr': Input/output error", sh.run("modprobe kvm_pr").outOrFailure());
        assertEquals(List.of("kvm", "kvm_hv"), loaded());
        assertTrue(kernel.dmesg().stream().noneMatch(l -> l.contains("does not support nesting")));
        assertEquals("h: 1 vCPU, 64 KiB, type hv\n", create("h", "--type hv"));
        runsEachWorkload("h", 20);
        assertTrue(create("d", "").startsWith("d: "));
        assertEquals(2, kernel.refcnt("kvm_hv"));
        assertEquals("FAIL: vm: KVM_CREATE_VM failed: Invalid argument", create("p", "--type pr"));
    }

    @Test
    public void noLeakAfterUnload() throws Exception {
        assertEquals("", sh.run("modprobe kvm_hv").outOrFailure());
        assertEquals("", sh.run("modprobe -r kvm_hv").outOrFailure());
        assertEquals(List.of(), loaded());
        assertNoLeakReported(kernel);
    }
}
