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

/** An Intel host whose BIOS left VT-x off. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class VmxOffHostTest extends KvmTestBase {

    @Configuration
    public Option[] config() {
        return options(kvmX86("intel-vmx-off"));
    }

    @Test
    public void kvmIntelSaysTheBiosDisabledVmx() throws Exception {
        assertEquals("FAIL: modprobe: ERROR: could not insert 'kvm_intel': Operation not supported",
                sh.run("modprobe kvm_intel").outOrFailure().trim());
        assertEquals(List.of("kvm_intel: VMX not enabled (by BIOS) in MSR_IA32_FEAT_CTL on CPU 0"), kernel.dmesg());
        assertFalse(devKvmExists());
    }
}
