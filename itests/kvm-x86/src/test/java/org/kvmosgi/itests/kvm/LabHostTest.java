package org.kvmosgi.itests.kvm;

import static org.junit.Assert.*;
import static org.kvmosgi.testsupport.kit.Kernel.errno;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kvmtool.vmm.Vm;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * x86-lab: VT-x and AMD-V on every CPU, so both vendor modules pass their support check
 * and kvm_x86_vendor_init() is what keeps the second one out. kvm_amd checks the CPU
 * vendor first (svm.c), so the lab's CPUs must say AuthenticAMD for this path.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LabHostTest extends KvmTestBase {

    @Configuration
    public Option[] config() {
        return options(kvmX86("x86-lab"));
    }

    @Test
    public void theLabCpusPassBothVendorChecks() throws Exception {
        String cpuinfo = sys.read("/proc/cpuinfo");
        assertTrue(cpuinfo.contains("vendor_id\t: AuthenticAMD"));
        for (String flag : List.of("vmx", "svm")) {
            assertTrue(flag, java.util.regex.Pattern.compile("flags\t\t: .*\\b" + flag + "\\b").matcher(cpuinfo).find());
        }
    }

    @Test
    public void secondVendorGetsEexist() throws Exception {
        assertEquals("", sh.run("modprobe kvm_intel").outOrFailure());
        // modprobe counts a target's -EEXIST as "already loaded": silent success without --first-time
        assertEquals("", sh.run("modprobe kvm_amd").outOrFailure());
        assertEquals(List.of("kvm: already loaded vendor module 'kvm_intel'"), kernel.dmesg());
        assertNull(kernel.module("kvm_amd"));
        sys.syslog(true);
        assertEquals(Errno.EEXIST.value(), errno(() -> sys.finitModule(
                "/lib/modules/" + sys.kernelRelease() + "/kernel/arch/x86/kvm/kvm-amd.ko", "", 0)));
        assertEquals(List.of("kvm: already loaded vendor module 'kvm_intel'"), kernel.dmesg());
        assertEquals("kvm_intel", ops().name());
    }

    @Test
    public void otherVendorLoadsAfterTheFirstIsGone() throws Exception {
        sh.run("modprobe kvm_intel");
        Vm vm = Vm.create(sys, "held", 1, Vm.DEFAULT_MEM, false);
        assertTrue(sh.run("rmmod kvm_intel").outOrFailure().startsWith("FAIL: rmmod: ERROR: Module kvm_intel is in use"));
        vm.close();
        assertEquals("", sh.run("rmmod kvm_intel").outOrFailure());
        assertEquals("", sh.run("modprobe kvm_amd").outOrFailure());
        assertEquals("kvm_amd", ops().name());
        assertTrue(devKvmExists());
    }
}
