package org.kvmosgi.itests.kvmppc;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.kvmosgi.kvm.api.KvmIoctl.*;
import static org.kvmosgi.testsupport.kit.KernelAssert.assertDmesgInOrder;
import static org.kvmosgi.testsupport.kit.KernelAssert.assertNoLeakReported;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kvm.api.KvmCap;
import org.kvmosgi.kvm.api.KvmUserspaceMemoryRegion;
import org.kvmosgi.kvm.api.ppc.KvmPpcRegs;
import org.kvmosgi.kvm.ppc.api.PpcKvm;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The seed problem on a POWER9 LPAR without hypervisor mode: modprobe kvm_hv fails after
 * loading kvm, which stays alone; /dev/kvm answers, but no VM can be made.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KvmAloneTest extends PpcTestBase {
    static final long EINVAL = -Errno.EINVAL.value();

    @Configuration
    public Option[] config() {
        return options(ppc("power9-guest", "kvm-ppc"));
    }

    @Test
    public void hvAndPrFailAndKvmStays() throws Exception {
        assertEquals("FAIL: modprobe: ERROR: could not insert 'kvm_hv': No such device", sh.run("modprobe kvm_hv").outOrFailure());
        assertDmesgInOrder(kernel, "kvm-hv: Parent hypervisor does not support nesting (rc=-2)");
        assertEquals("FAIL: modprobe: ERROR: could not insert 'kvm_pr': Input/output error", sh.run("modprobe kvm_pr").outOrFailure());
        assertEquals(List.of("kvm"), loaded());
        assertTrue(devKvm());
        assertNoLeakReported(kernel);
    }

    @Test
    public void everyIoctlAnswersWithAClearErrno() throws Exception {
        sh.run("modprobe kvm_hv");
        int kvm = sys.open("/dev/kvm");
        assertEquals(12, kernel.ioctl(kvm, KVM_GET_API_VERSION, 0));
        assertEquals(EINVAL, kernel.ioctl(kvm, KVM_GET_API_VERSION, 5));
        assertEquals(1, kernel.ioctl(kvm, KVM_CHECK_EXTENSION, KvmCap.KVM_CAP_USER_MEMORY));
        assertEquals(1, kernel.ioctl(kvm, KVM_CHECK_EXTENSION, PpcKvm.KVM_CAP_PPC_PAPR));
        assertEquals("no HV loaded", 0, kernel.ioctl(kvm, KVM_CHECK_EXTENSION, PpcKvm.KVM_CAP_PPC_MMU_RADIX));
        assertEquals(0, kernel.ioctl(kvm, KVM_CHECK_EXTENSION, 99999));
        assertEquals(PpcKvm.VCPU_MMAP_SIZE, kernel.ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0));
        for (long type : new long[] {0, PpcKvm.KVM_VM_PPC_HV, PpcKvm.KVM_VM_PPC_PR, 3, -1}) {
            assertEquals("KVM_CREATE_VM " + type, EINVAL, kernel.ioctl(kvm, KVM_CREATE_VM, type));
        }
        assertEquals(EINVAL, kernel.ioctl(kvm, KVM_CREATE_VM, "not a number"));
        // VM and vCPU ioctls on /dev/kvm go to kvm_arch_dev_ioctl: -EINVAL
        assertEquals(EINVAL, kernel.ioctl(kvm, KVM_CREATE_VCPU, 0));
        assertEquals(EINVAL, kernel.ioctl(kvm, KVM_SET_USER_MEMORY_REGION, new KvmUserspaceMemoryRegion()));
        assertEquals(EINVAL, kernel.ioctl(kvm, KVM_CREATE_IRQCHIP, 0));
        assertEquals(EINVAL, kernel.ioctl(kvm, KVM_RUN, 0));
        assertEquals(EINVAL, kernel.ioctl(kvm, KVM_GET_REGS, new KvmPpcRegs()));
        assertEquals(EINVAL, kernel.ioctl(kvm, KVM_SET_REGS, new KvmPpcRegs()));
        assertEquals(EINVAL, kernel.ioctl(kvm, org.kvmosgi.kvm.api.KvmIoctl.KVM_ENABLE_CAP, null));
        assertEquals(EINVAL, kernel.ioctl(kvm, KVMOSGI_MMAP_VCPU, null));
        assertEquals(EINVAL, kernel.ioctl(kvm, KVMOSGI_GET_STATS, new long[16]));
        assertEquals(EINVAL, kernel.ioctl(kvm, 0xdeadbeef, null));
        sys.close(kvm);
        assertEquals("nothing half-created: only the load's reference", 0, kernel.refcnt("kvm"));
        assertEquals("", sh.run("rmmod kvm").outOrFailure());
        assertNoLeakReported(kernel);
    }

    /** The VMM's view: the same command as on x86 fails with the kernel's errno. */
    @Test
    public void vmmCannotCreateAVm() throws Exception {
        sh.run("modprobe kvm_hv");
        org.osgi.framework.Bundle vmm = java.util.Arrays.stream(context.getBundles())
                .filter(b -> "kvmtool".equals(b.getSymbolicName()) || b.getLocation().contains("kvmtool")).findFirst()
                .orElse(null);
        org.junit.Assume.assumeTrue("the kvmtool bundle is started (it is "
                + (vmm == null ? "absent" : "in state " + vmm.getState()) + ")",
                vmm != null && vmm.getState() == org.osgi.framework.Bundle.ACTIVE);
        String out = sh.run("vm create").outOrFailure();
        assertTrue(out, out.startsWith("FAIL: ") && out.contains("KVM_CREATE_VM failed: Invalid argument"));
    }
}
