package org.kvmosgi.itests.kvmppc;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.kvmosgi.kvm.api.KvmIoctl.KVM_CHECK_EXTENSION;
import static org.kvmosgi.kvm.api.KvmIoctl.KVM_CREATE_VM;
import static org.kvmosgi.testsupport.kit.KernelAssert.assertNoLeakReported;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kvm.api.KvmEnableCap;
import org.kvmosgi.kvm.ppc.api.PpcKvm;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** Split layout on POWER8 (HPT): HV and PR LIVE at once, the VM type picks one, each VM pins its own. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SplitPower8Test extends PpcTestBase {
    @Configuration
    public Option[] config() {
        return options(ppc("power8", "kvm-ppc"));
    }

    @Test
    public void bothImplementationsAtOnce() throws Exception {
        assertEquals("", sh.run("modprobe kvm_hv").outOrFailure());
        assertEquals("", sh.run("modprobe kvm-pr").outOrFailure());
        assertEquals(List.of("kvm", "kvm_hv", "kvm_pr"), loaded());
        assertEquals("live", kernel.initstate("kvm_hv"));
        assertEquals("live", kernel.initstate("kvm_pr"));
        String lsmod = sh.run("lsmod").outOrFailure();
        assertTrue(lsmod, lsmod.lines().anyMatch(l -> l.startsWith("kvm ") && l.endsWith(" 2 kvm_hv,kvm_pr")
                || l.startsWith("kvm ") && l.endsWith(" 2 kvm_pr,kvm_hv")));
        assertNoLeakReported(kernel);
    }

    @Test
    public void vmTypeSelectsAndPins() throws Exception {
        sh.run("modprobe kvm_hv");
        sh.run("modprobe kvm_pr");
        int kvm = sys.open("/dev/kvm");
        int defaultVm = (int) kernel.ioctl(kvm, KVM_CREATE_VM, 0);
        assertTrue(defaultVm > 0);
        assertEquals("type 0 is HV when kvm_hv is loaded", 1, kernel.refcnt("kvm_hv"));
        assertEquals(0, kernel.refcnt("kvm_pr"));
        int prVm = (int) kernel.ioctl(kvm, KVM_CREATE_VM, PpcKvm.KVM_VM_PPC_PR);
        assertEquals(1, kernel.refcnt("kvm_pr"));
        int hvVm = (int) kernel.ioctl(kvm, KVM_CREATE_VM, PpcKvm.KVM_VM_PPC_HV);
        assertEquals(2, kernel.refcnt("kvm_hv"));
        assertEquals(-Errno.EINVAL.value(), kernel.ioctl(kvm, KVM_CREATE_VM, 7));
        assertEquals("OSI: PR only", 1, kernel.ioctl(prVm, KVM_CHECK_EXTENSION, PpcKvm.KVM_CAP_PPC_OSI));
        assertEquals(0, kernel.ioctl(hvVm, KVM_CHECK_EXTENSION, PpcKvm.KVM_CAP_PPC_OSI));
        assertTrue(sh.run("rmmod kvm_pr").outOrFailure().startsWith("FAIL: rmmod: ERROR: Module kvm_pr is in use"));
        sys.close(prVm);
        assertEquals("", sh.run("rmmod kvm_pr").outOrFailure());
        sys.close(hvVm);
        sys.close(defaultVm);
        sys.close(kvm);
        assertEquals(0, kernel.refcnt("kvm_hv"));
        assertNoLeakReported(kernel);
    }

    @Test
    public void prGuestWithPapr() throws Exception {
        sh.run("modprobe kvm_pr");
        Guest g = guest(PpcKvm.KVM_VM_PPC_PR, workload());
        assertEquals(0, sys.ioctl(g.vcpu(), org.kvmosgi.kvm.api.KvmIoctl.KVM_ENABLE_CAP, new KvmEnableCap(PpcKvm.KVM_CAP_PPC_PAPR)));
        runWorkload(g);
        close(g);
        assertEquals(0, kernel.refcnt("kvm_pr"));
    }

    @Test
    public void typeZeroFallsBackToPr() throws Exception {
        sh.run("modprobe kvm_pr");
        Guest g = guest(0, workload());
        assertEquals(1, kernel.refcnt("kvm_pr"));
        close(g);
    }
}
