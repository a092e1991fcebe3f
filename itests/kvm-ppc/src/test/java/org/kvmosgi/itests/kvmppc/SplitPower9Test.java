package org.kvmosgi.itests.kvmppc;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.kvmosgi.kvm.api.KvmIoctl.KVM_CREATE_VM;
import static org.kvmosgi.testsupport.kit.Kernel.errno;
import static org.kvmosgi.testsupport.kit.KernelAssert.assertNoLeakReported;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kvm.ppc.api.PpcKvm;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** Split layout on POWER9 bare metal (radix): HV works, PR refuses, VMs pin kvm_hv, and a broken HV init. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SplitPower9Test extends PpcTestBase {
    @Configuration
    public Option[] config() {
        return options(ppc("power9", "kvm-ppc"));
    }

    @Test
    public void hvLoadsWithKvmAndPrIsRefusedWithEio() throws Exception {
        assertEquals("", sh.run("modprobe kvm_hv").outOrFailure());
        assertEquals(List.of("kvm", "kvm_hv"), loaded());
        assertEquals("kvm_hv", kernel.module("kvm").usedBy().replace(",", ""));
        assertTrue(devKvm());
        assertEquals("FAIL: modprobe: ERROR: could not insert 'kvm_pr': Input/output error", sh.run("modprobe kvm_pr").outOrFailure());
        assertNull(kernel.module("kvm_pr"));
        assertEquals("live", kernel.initstate("kvm_hv"));
        assertNoLeakReported(kernel);
    }

    @Test
    public void vmTypesAndUnloadRefusedWhileAVmRuns() throws Exception {
        sh.run("modprobe kvm_hv");
        Guest g = guest(0, workload());
        assertEquals("the VM pins kvm_hv", 1, kernel.refcnt("kvm_hv"));
        assertEquals(-Errno.EINVAL.value(), kernel.ioctl(g.kvm(), KVM_CREATE_VM, PpcKvm.KVM_VM_PPC_PR));
        assertEquals(-Errno.EINVAL.value(), kernel.ioctl(g.kvm(), KVM_CREATE_VM, 3));
        assertEquals(Errno.EWOULDBLOCK.value(), errno(() -> sys.deleteModule("kvm_hv", Syscalls.O_NONBLOCK)));
        assertTrue(sh.run("rmmod kvm_hv").outOrFailure().startsWith("FAIL: rmmod: ERROR: Module kvm_hv is in use"));
        assertTrue(sh.run("rmmod kvm").outOrFailure().startsWith("FAIL: rmmod: ERROR: Module kvm is in use by: kvm_hv"));
        runWorkload(g);
        close(g);
        assertEquals(0, kernel.refcnt("kvm_hv"));
        assertEquals("", sh.run("rmmod kvm_hv").outOrFailure());
        assertEquals("", sh.run("rmmod kvm").outOrFailure());
        assertFalse(devKvm());
        assertNoLeakReported(kernel);
    }

    /** fail_function breaks kvmppc_radix_init: its error is checked, HV unwinds, kvm stays alone. */
    @Test
    public void brokenRadixInitLeavesKvmAlone() throws Exception {
        String ff = "/sys/kernel/debug/fail_function";
        sys.write(ff + "/inject", "kvm_hv:kvmppc_radix_init");
        sys.write(ff + "/kvm_hv:kvmppc_radix_init/retval", "-12");
        sys.write(ff + "/probability", "100");
        sys.write(ff + "/times", "-1");
        try {
            assertEquals("FAIL: modprobe: ERROR: could not insert 'kvm_hv': Cannot allocate memory",
                    sh.run("modprobe kvm_hv").outOrFailure());
        } finally {
            sys.write(ff + "/inject", "!kvm_hv:kvmppc_radix_init");
            sys.write(ff + "/probability", "0");
        }
        assertEquals("modprobe does not roll back", List.of("kvm"), loaded());
        assertTrue(devKvm());
        int kvm = sys.open("/dev/kvm");
        assertEquals(-Errno.EINVAL.value(), kernel.ioctl(kvm, KVM_CREATE_VM, 0));
        sys.close(kvm);
        assertNoLeakReported(kernel);
    }

    /** kvmppc_core_init_vm_hv fails: KVM_CREATE_VM returns its errno and the pin on kvm_hv is given back. */
    @Test
    public void vmInitFailureDropsThePin() throws Exception {
        sh.run("modprobe kvm_hv");
        String ff = "/sys/kernel/debug/fail_function";
        sys.write(ff + "/inject", "kvm_hv:kvmppc_core_init_vm_hv");
        sys.write(ff + "/kvm_hv:kvmppc_core_init_vm_hv/retval", "-12");
        sys.write(ff + "/probability", "100");
        sys.write(ff + "/times", "1");
        int kvm = sys.open("/dev/kvm");
        try {
            assertEquals(-Errno.ENOMEM.value(), kernel.ioctl(kvm, KVM_CREATE_VM, 0));
        } finally {
            sys.write(ff + "/inject", "!kvm_hv:kvmppc_core_init_vm_hv");
            sys.write(ff + "/probability", "0");
        }
        assertEquals("the failed VM left no pin", 0, kernel.refcnt("kvm_hv"));
        int vm = (int) kernel.ioctl(kvm, KVM_CREATE_VM, 0);
        assertTrue(vm > 0);
        assertEquals(1, kernel.refcnt("kvm_hv"));
        sys.close(vm);
        sys.close(kvm);
        assertEquals("", sh.run("rmmod kvm_hv").outOrFailure());
        assertNoLeakReported(kernel);
    }
}
