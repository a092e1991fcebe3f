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

/** An Intel Atom without VT-x: neither vendor module loads. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class NoVmxHostTest extends KvmTestBase {

    @Configuration
    public Option[] config() {
        return options(kvmX86("intel-no-vmx"));
    }

    @Test
    public void neitherVendorLoads() throws Exception {
        assertEquals("FAIL: modprobe: ERROR: could not insert 'kvm_intel': Operation not supported",
                sh.run("modprobe kvm_intel").outOrFailure().trim());
        assertEquals(List.of("kvm_intel: VMX not supported by CPU 0"), kernel.dmesg());
        assertFalse(devKvmExists());
        sys.syslog(true);
        assertEquals("FAIL: modprobe: ERROR: could not insert 'kvm_amd': Operation not supported",
                sh.run("modprobe kvm_amd").outOrFailure().trim());
        assertEquals(List.of("kvm_amd: CPU 0 isn't AMD or Hygon"), kernel.dmesg());
        // kvm stays, unused and live, as modprobe leaves it
        assertEquals(0, kernel.module("kvm").refcnt());
        assertEquals("Live", kernel.module("kvm").state());
    }
}
