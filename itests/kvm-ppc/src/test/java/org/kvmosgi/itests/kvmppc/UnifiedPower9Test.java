package org.kvmosgi.itests.kvmppc;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.kvmosgi.kvm.api.KvmIoctl.KVM_CREATE_VM;
import static org.kvmosgi.testsupport.kit.KernelAssert.assertNoLeakReported;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kvm.ppc.api.PpcKvm;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** Unified layout on POWER9: `modprobe kvm_hv` loads kvm through its alias; PR is built in but cannot run. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class UnifiedPower9Test extends PpcTestBase {
    /** Where the configuration lays the HV-only build out (the probe runs in another class loader). */
    private static final String HV_ONLY = "/opt/kvm-unified-hv/kvm.ko";

    @Configuration
    public Option[] config() {
        Option o = ppc("power9", "kvm-ppc-unified");
        extraModule("kvm-unified-hv", "kvm-unified-hv");
        return options(o);
    }

    @Test
    public void aliasesLoadTheOneKvm() throws Exception {
        assertEquals("", sh.run("modprobe kvm_hv").outOrFailure());
        assertEquals(List.of("kvm"), loaded());
        assertTrue(devKvm());
        assertEquals("already loaded: nothing to do", "", sh.run("modprobe kvm-pr").outOrFailure());
        String modinfo = sh.run("modinfo kvm").outOrFailure();
        assertTrue(modinfo, modinfo.contains("alias:          kvm_hv") || modinfo.matches("(?s).*alias:\\s+kvm_hv.*"));
        assertEquals("", sh.run("modprobe -r kvm_hv").outOrFailure());
        assertEquals(List.of(), loaded());
        assertFalse(devKvm());
        assertNoLeakReported(kernel);
    }

    @Test
    public void vmTypesAndUnloadRefusedWhileAVmRuns() throws Exception {
        sh.run("modprobe kvm");
        Guest g = guest(PpcKvm.KVM_VM_PPC_HV, workload());
        assertEquals("PR is built in but refused this host", -Errno.EINVAL.value(),
                kernel.ioctl(g.kvm(), KVM_CREATE_VM, PpcKvm.KVM_VM_PPC_PR));
        assertTrue(sh.run("rmmod kvm").outOrFailure().startsWith("FAIL: rmmod: ERROR: Module kvm is in use"));
        runWorkload(g);
        close(g);
        assertEquals("", sh.run("rmmod kvm").outOrFailure());
    }

    /** The Kconfig: the HV-only build of the same classes, loaded by path. */
    @Test
    public void HV_ONLYConfiguration() throws Exception {
        assertEquals("", sh.run("insmod " + HV_ONLY).outOrFailure());
        int kvm = sys.open("/dev/kvm");
        int vm = (int) kernel.ioctl(kvm, KVM_CREATE_VM, PpcKvm.KVM_VM_PPC_HV);
        assertTrue(vm > 0);
        sys.close(vm);
        sys.close(kvm);
        assertEquals("", sh.run("rmmod kvm").outOrFailure());
    }
}
