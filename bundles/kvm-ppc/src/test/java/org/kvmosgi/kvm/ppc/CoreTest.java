package org.kvmosgi.kvm.ppc;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.kvmosgi.kvm.api.KvmIoctl.*;

import java.util.HashMap;
import java.util.Map;
import org.junit.Test;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.testkit.Hosts;
import org.kvmosgi.kernel.testkit.TestKernel;
import org.kvmosgi.kvm.api.KvmCap;
import org.kvmosgi.kvm.api.KvmEnableCap;
import org.kvmosgi.kvm.api.dispatch.Dispatch;
import org.kvmosgi.kvm.api.ppc.KvmPpcRegs;
import org.kvmosgi.kvm.ppc.api.PpcKvm;
import org.kvmosgi.kvm.ppc.book3s.Book3sCore;
import org.kvmosgi.kvm.ppc.book3s.KvmppcCalls;
import org.kvmosgi.kvm.ppc.hv.KvmHv;
import org.kvmosgi.kvm.ppc.pr.KvmPr;

/** kvm.ko of the split layout: /dev/kvm at its own init, the kvm-alone state, VM type dispatch and pins. */
public class CoreTest {
    static final int EINVAL = Errno.EINVAL.neg(), ENOTTY = Errno.ENOTTY.neg(), ENOENT = Errno.ENOENT.neg();

    /**
     * kvm.dispatch= for the tests: the system property {@code kvm.dispatch} (the build runs
     * the suite once per style), else kvm's default.
     */
    static Dispatch dispatch() {
        return Dispatch.parse(System.getProperty("kvm.dispatch"), KvmppcCalls.DEFAULT);
    }

    /** kvm's parameters: {@code others}, and kvm.dispatch= from the system property unless they give one. */
    static Map<String, String> kvmParams(Map<String, String> others) {
        Map<String, String> p = new HashMap<>(others);
        String style = System.getProperty("kvm.dispatch");
        if (style != null) {
            p.putIfAbsent("dispatch", style);
        }
        return p;
    }

    /** kvm, and kvm_hv / kvm_pr on top, as the split modules wire them. */
    static final class Split {
        final TestKernel k;
        final Book3sCore core;
        KvmHv hv;
        KvmPr pr;

        Split(String host) {
            this(host, dispatch());
        }

        Split(String host, Dispatch style) {
            k = new TestKernel(Hosts.profile(host));
            core = new Book3sCore(k.context("kvm", kvmParams(Map.of())), style);
            assertEquals(0, core.kvmInit());
        }

        int loadHv() {
            hv = new KvmHv(k.context("kvm_hv", HvInitTest.HV_PARAMS), core.hvOps, core);
            int r = hv.init();
            if (r != 0) {
                k.gone("kvm_hv");
            }
            return r;
        }

        int loadPr() {
            pr = new KvmPr(k.context("kvm_pr", Map.of()), core.prOps, core);
            int r = pr.init();
            if (r != 0) {
                k.gone("kvm_pr");
            }
            return r;
        }
    }

    @Test
    public void kvmRegistersDevKvmAtItsOwnInit() {
        Split s = new Split("power9");
        assertTrue(s.k.devices().contains("kvm"));
        assertEquals("kvm", s.k.deviceOwner("kvm"));
        s.core.kvmExit();
        assertEquals(0, s.k.devices().size());
        assertEquals(0, s.k.liveAllocations("kvm"));
    }

    /** kvm alone: it answers, but no VM can be made, and nothing half-exists afterwards. */
    @Test
    public void kvmAloneAnswersEveryIoctlWithAClearErrno() {
        Split s = new Split("power9-guest");
        assertEquals(Errno.ENODEV.neg(), s.loadHv());
        int fd = s.k.open("kvm");
        assertTrue(fd > 0);
        assertEquals(12, s.k.ioctl(fd, KVM_GET_API_VERSION, 0));
        assertEquals(EINVAL, s.k.ioctl(fd, KVM_GET_API_VERSION, 1));
        assertEquals(1, s.k.ioctl(fd, KVM_CHECK_EXTENSION, KvmCap.KVM_CAP_USER_MEMORY));
        assertEquals(1, s.k.ioctl(fd, KVM_CHECK_EXTENSION, PpcKvm.KVM_CAP_PPC_PAPR));
        assertEquals(0, s.k.ioctl(fd, KVM_CHECK_EXTENSION, PpcKvm.KVM_CAP_PPC_MMU_RADIX));
        assertEquals(PpcKvm.VCPU_MMAP_SIZE, s.k.ioctl(fd, KVM_GET_VCPU_MMAP_SIZE, 0));
        for (long type : new long[] {0, PpcKvm.KVM_VM_PPC_HV, PpcKvm.KVM_VM_PPC_PR, 3, -1}) {
            assertEquals("type " + type, EINVAL, s.k.ioctl(fd, KVM_CREATE_VM, type));
        }
        assertEquals("a pointer where a number belongs", EINVAL, s.k.ioctl(fd, KVM_CREATE_VM, new Object()));
        assertEquals("vCPU ioctls on /dev/kvm", EINVAL, s.k.ioctl(fd, KVM_RUN, 0));
        assertEquals("VM ioctls on /dev/kvm", EINVAL, s.k.ioctl(fd, KVM_CREATE_VCPU, 0));
        assertEquals(EINVAL, s.k.ioctl(fd, KVM_SET_REGS, new KvmPpcRegs()));
        assertEquals(EINVAL, s.k.ioctl(fd, 0x1234, null));
        assertEquals("no VM fd was made", 1, s.k.openFiles());
        s.k.close(fd);
        assertEquals(0, s.k.refcount("kvm"));
    }

    @Test
    public void vmTypeSelectsTheImplementationAndPinsIt() {
        Split s = new Split("power8");
        assertEquals(0, s.loadHv());
        assertEquals(0, s.loadPr());
        int fd = s.k.open("kvm");
        long vm0 = s.k.ioctl(fd, KVM_CREATE_VM, 0);
        assertTrue(vm0 > 0);
        assertEquals("type 0 is HV when loaded", 1, s.k.refcount("kvm_hv"));
        long vmPr = s.k.ioctl(fd, KVM_CREATE_VM, PpcKvm.KVM_VM_PPC_PR);
        assertTrue(vmPr > 0);
        assertEquals(1, s.k.refcount("kvm_pr"));
        long vmHv = s.k.ioctl(fd, KVM_CREATE_VM, PpcKvm.KVM_VM_PPC_HV);
        assertTrue(vmHv > 0);
        assertEquals(2, s.k.refcount("kvm_hv"));
        assertEquals(EINVAL, s.k.ioctl(fd, KVM_CREATE_VM, 3));
        assertEquals("HV is enabled for an HV VM", 0, s.k.ioctl((int) vmHv, KVM_CHECK_EXTENSION, PpcKvm.KVM_CAP_PPC_OSI));
        assertEquals("OSI is a PR feature", 1, s.k.ioctl((int) vmPr, KVM_CHECK_EXTENSION, PpcKvm.KVM_CAP_PPC_OSI));
        assertEquals(ENOTTY, s.k.ioctl((int) vmPr, KVM_CREATE_IRQCHIP, 0));
        s.k.close((int) vm0);
        s.k.close((int) vmHv);
        s.k.close((int) vmPr);
        assertEquals(0, s.k.refcount("kvm_hv"));
        assertEquals(0, s.k.refcount("kvm_pr"));
        assertEquals("per-VM memory freed", 2, s.k.liveAllocations("kvm_hv"));
        assertEquals(1, s.k.liveAllocations("kvm_pr"));
    }

    @Test
    public void typeZeroIsPrWithoutHv() {
        Split s = new Split("power8");
        assertEquals(0, s.loadPr());
        int fd = s.k.open("kvm");
        assertTrue(s.k.ioctl(fd, KVM_CREATE_VM, 0) > 0);
        assertEquals(1, s.k.refcount("kvm_pr"));
        assertEquals(EINVAL, s.k.ioctl(fd, KVM_CREATE_VM, PpcKvm.KVM_VM_PPC_HV));
    }

    @Test
    public void vmInitFailureDropsThePin() {
        Split s = new Split("power9");
        assertEquals(0, s.loadHv());
        s.k.inject("kvm_hv:kvmppc_core_init_vm_hv", Errno.ENOMEM.neg());
        int fd = s.k.open("kvm");
        assertEquals(Errno.ENOMEM.neg(), s.k.ioctl(fd, KVM_CREATE_VM, 0));
        assertEquals(0, s.k.refcount("kvm_hv"));
        assertEquals(1, s.k.openFiles());
    }

    @Test
    public void goingModuleIsEnoent() {
        Split s = new Split("power9");
        assertEquals(0, s.loadHv());
        s.k.gone("kvm_hv"); // GOING: try_module_get fails
        int fd = s.k.open("kvm");
        assertEquals(ENOENT, s.k.ioctl(fd, KVM_CREATE_VM, 0));
    }

    @Test
    public void capabilitiesFollowTheLoadedImplementations() {
        Split s = new Split("power9");
        int fd = s.k.open("kvm");
        assertEquals(0, s.k.ioctl(fd, KVM_CHECK_EXTENSION, PpcKvm.KVM_CAP_PPC_MMU_RADIX));
        assertEquals(1, s.k.ioctl(fd, KVM_CHECK_EXTENSION, PpcKvm.KVM_CAP_PPC_GET_PVINFO));
        assertEquals(0, s.loadHv());
        assertEquals(1, s.k.ioctl(fd, KVM_CHECK_EXTENSION, PpcKvm.KVM_CAP_PPC_MMU_RADIX));
        assertEquals(1, s.k.ioctl(fd, KVM_CHECK_EXTENSION, PpcKvm.KVM_CAP_PPC_MMU_HASH_V3));
        assertEquals(1, s.k.ioctl(fd, KVM_CHECK_EXTENSION, PpcKvm.KVM_CAP_PPC_NESTED_HV));
        assertEquals(0, s.k.ioctl(fd, KVM_CHECK_EXTENSION, PpcKvm.KVM_CAP_PPC_GET_PVINFO));
    }

    @Test
    public void vcpuIoctlsAnswerClearly() {
        Split s = new Split("power9");
        assertEquals(0, s.loadHv());
        int fd = s.k.open("kvm");
        int vm = (int) s.k.ioctl(fd, KVM_CREATE_VM, 0);
        int vcpu = (int) s.k.ioctl(vm, KVM_CREATE_VCPU, 0);
        assertTrue(vcpu > 0);
        assertEquals(Errno.EEXIST.neg(), s.k.ioctl(vm, KVM_CREATE_VCPU, 0));
        assertEquals(EINVAL, s.k.ioctl(vm, KVM_CREATE_VCPU, PpcKvm.KVM_MAX_VCPUS));
        assertEquals(Errno.EFAULT.neg(), s.k.ioctl(vcpu, KVM_GET_REGS, "not a struct"));
        assertEquals(EINVAL, s.k.ioctl(vcpu, org.kvmosgi.kvm.api.KvmIoctl.KVM_ENABLE_CAP, new KvmEnableCap(9999)));
        assertEquals(0, s.k.ioctl(vcpu, org.kvmosgi.kvm.api.KvmIoctl.KVM_ENABLE_CAP, new KvmEnableCap(PpcKvm.KVM_CAP_PPC_PAPR)));
        assertEquals(EINVAL, s.k.ioctl(vcpu, 0x1234, null));
        s.k.close(vcpu);
        s.k.close(vm);
        assertEquals(0, s.k.refcount("kvm_hv"));
    }
}
