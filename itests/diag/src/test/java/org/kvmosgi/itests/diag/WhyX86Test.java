package org.kvmosgi.itests.diag;

import static org.junit.Assert.assertEquals;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** why on x86 with VMX left off by the BIOS: /dev/kvm is absent, and each vendor says why. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WhyX86Test extends ShellTestBase {
    @Configuration
    public Option[] config() {
        return options(platformWith("intel-vmx-off", "kvm-x86"));
    }

    @Test
    public void devKvmAbsentBecauseEachVendorIsNotLive() throws Exception {
        assertEquals("FAIL: modprobe: ERROR: could not insert 'kvm_intel': Operation not supported",
                sh.run("modprobe kvm_intel").transcript().trim());
        assertEquals(List.of(
                "/dev/kvm is absent: no vendor module (kvm_intel, kvm_amd) is live; the vendor registers it through "
                        + "kvm at the end of its init",
                "root cause: kvm_intel: its last load failed with -EOPNOTSUPP (Operation not supported) at "
                        + "kvm_intel:init, host intel-vmx-off",
                "dmesg: kvm_intel: VMX not enabled (by BIOS) in MSR_IA32_FEAT_CTL on CPU 0",
                "root cause: kvm_amd has not been loaded since boot (/lib/modules/6.13.0-kvmosgi/kernel/arch/x86/kvm/"
                        + "kvm-amd.ko)",
                "load it with: modprobe kvm_amd"), lines(sh.run("why /dev/kvm").transcript()));
        assertEquals("KVM_CREATE_VM(0) cannot be made: /dev/kvm is absent", lines(sh.run("why vm").transcript()).get(0));
        assertEquals("kvm is live", lines(sh.run("why kvm").transcript()).get(0));
        assertEquals("invariants: all hold\n", sh.run("invariants").transcript());
    }
}
