package org.kvmosgi.kvm.ppc;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.kvmosgi.kvm.api.KvmIoctl.KVM_CREATE_VM;

import java.util.List;
import org.junit.Test;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kvm.ppc.api.PpcKvm;
import org.kvmosgi.kvm.ppc.hv.KvmHv;

/**
 * The kvm-hv-legacy build (v5.17's init): each of the three mistakes the 2021 series fixed
 * shows under an injected failure, and the same injection leaves the real init clean.
 */
public class LegacyHvInitTest {
    private static final int ENOMEM = Errno.ENOMEM.neg();

    /** kvm loaded, then kvm_hv of the given build with {@code point} failing -ENOMEM. */
    private static CoreTest.Split load(String host, boolean legacy, String point, int expected) {
        CoreTest.Split s = new CoreTest.Split(host);
        s.k.inject("kvm_hv:" + point, ENOMEM);
        s.hv = new KvmHv(s.k.context("kvm_hv", HvInitTest.HV_PARAMS), s.core.hvOps, s.core,
                legacy ? new org.kvmosgi.kvm.ppc.hv.v517.V517Init() : null);
        int r = s.hv.init();
        assertEquals(point, expected, r);
        if (r != 0) {
            s.hv.moduleFreed();
            s.k.gone("kvm_hv");
        }
        return s;
    }

    @Test
    public void opsLeftPointingAtTheFreedModule() {
        CoreTest.Split s = load("power9", true, "kvmppc_mmu_hv_init", ENOMEM);
        assertSame("v5.17 set the ops before kvmppc_mmu_hv_init", s.hv, s.core.hvOps.get());
        assertEquals("diagnostics still read the owner", "kvm_hv", s.core.hvOps.name());
        int fd = s.k.open("kvm");
        // the kernel's ioctl turns the driver's oops into -EFAULT and a BUG line
        assertEquals("KVM_CREATE_VM reached the freed module and faulted", Errno.EFAULT.neg(),
                s.k.ioctl(fd, KVM_CREATE_VM, PpcKvm.KVM_VM_PPC_HV));
        String bug = String.format("BUG: ioctl 0x%x on /dev/kvm threw java.lang.IllegalStateException: ", KVM_CREATE_VM);
        assertTrue(s.k.dmesg().toString(), s.k.dmesg().stream().anyMatch(l -> l.startsWith(
                bug + "Unable to handle kernel paging request: kvm_ops_hv.owner of module kvm_hv")));
    }

    @Test
    public void uvmemFailureLeavesOpsAndMemory() {
        CoreTest.Split s = load("power9", true, "kvmppc_uvmem_init", ENOMEM);
        assertEquals(List.of("KVM-HV: kvmppc_uvmem_init failed -12"), s.k.dmesg());
        assertSame(s.hv, s.core.hvOps.get());
        assertEquals("LPID bitmap and radix caches not freed", 2, s.k.liveAllocations("kvm_hv"));
    }

    @Test
    public void radixFailureIsIgnored() {
        CoreTest.Split s = load("power9", true, "kvmppc_radix_init", 0);
        assertSame(s.hv, s.core.hvOps.get());
        assertTrue(s.k.steps().contains("kvm_hv:kvmppc_uvmem_init"));
    }

    @Test
    public void subcoreFailureLeaksNothingYetOnBareMetal() {
        CoreTest.Split s = load("power8", true, "kvmppc_mmu_hv_init", ENOMEM);
        assertEquals("the subcore state stays", 1, s.k.liveAllocations("kvm_hv"));
    }

    @Test
    public void theRealInitIsCleanUnderTheSameFailures() {
        for (String point : List.of("kvmppc_mmu_hv_init", "kvmppc_uvmem_init", "kvmppc_radix_init")) {
            CoreTest.Split s = load("power9", false, point, ENOMEM);
            assertNull(point, s.core.hvOps.get());
            assertEquals(point, 0, s.k.liveAllocations("kvm_hv"));
        }
    }
}
