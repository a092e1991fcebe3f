package org.kvmosgi.itests.kvm;

import static org.junit.Assert.*;
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
 * An Intel host whose CPU 2 differs from the others: the per-CPU compatibility check in
 * kvm_x86_vendor_init fails after the ops were installed, so they are cleared again and
 * hardware_unsetup runs.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class InconsistentCpuHostTest extends KvmTestBase {

    @Configuration
    public Option[] config() {
        return options(kvmX86("intel-inconsistent"));
    }

    @Test
    public void kvmIntelFindsCpu2InconsistentAndClearsTheOps() throws Exception {
        assertEquals("FAIL: modprobe: ERROR: could not insert 'kvm_intel': Input/output error",
                sh.run("modprobe kvm_intel").outOrFailure().trim());
        assertEquals(List.of("kvm_intel: Inconsistent VMCS config on CPU 2"), kernel.dmesg());
        assertFalse(devKvmExists());
        assertNull(kernel.module("kvm_intel"));
        assertNull("the ops were cleared again", ops().name());
        assertEquals("", sys.read("/sys/kernel/debug/kvmosgi/invariants"));
        assertEquals("", sys.read("/sys/kernel/debug/kmemleak"));
    }
}
