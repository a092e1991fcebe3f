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
 * An AMD host whose BIOS locked SVM off: since v6.7 the CPU setup code clears SVM from
 * the features at boot and says so once, so kvm_amd finds no SVM at all.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SvmOffHostTest extends KvmTestBase {

    @Configuration
    public Option[] config() {
        return options(kvmX86("amd-svm-off"));
    }

    @Test
    public void kvmAmdSaysSvmIsNotSupported() throws Exception {
        assertEquals("FAIL: modprobe: ERROR: could not insert 'kvm_amd': Operation not supported",
                sh.run("modprobe kvm_amd").outOrFailure().trim());
        assertEquals(List.of("kvm_amd: SVM not supported by CPU 0"), kernel.dmesg());
        assertFalse(devKvmExists());
        assertNotNull("modprobe does not roll back: kvm stays", kernel.module("kvm"));
    }

    @Test
    public void theBootLogSaysTheBiosDisabledSvm() throws Exception {
        assertTrue(sys.read("/proc/cpuinfo").contains("vendor_id\t: AuthenticAMD"));
        assertFalse(sys.read("/proc/cpuinfo").matches("(?s).*\\bsvm\\b.*"));
    }
}
