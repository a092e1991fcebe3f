package org.kvmosgi.kvm.ppc;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;

import java.util.List;
import java.util.Map;
import org.junit.Test;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.testkit.Hosts;
import org.kvmosgi.kernel.testkit.TestKernel;
import org.kvmosgi.kvm.ppc.api.MmioAccess;
import org.kvmosgi.kvm.ppc.api.OpsSlot;
import org.kvmosgi.kvm.ppc.api.PpcKvm;
import org.kvmosgi.kvm.ppc.pr.KvmPr;

/** kvmppc_book3s_init_pr(): POWER9 radix hosts are -EIO; otherwise the ops, set last. */
public class PrInitTest {
    private final OpsSlot slot = new OpsSlot(PpcKvm.KVMPPC_PR_OPS);

    private KvmPr pr(TestKernel k) {
        return new KvmPr(k.context("kvm_pr", Map.of()), slot, MmioAccess.of((v, a, r, b, s) -> 0, (v, a, x, b) -> 0));
    }

    @Test
    public void power8Works() {
        TestKernel k = new TestKernel(Hosts.profile("power8"));
        KvmPr pr = pr(k);
        assertEquals(0, pr.init());
        assertSame(pr, slot.get());
        assertEquals(1, k.liveAllocations("kvm_pr"));
        pr.exit();
        assertNull(slot.get());
        assertEquals(0, k.liveAllocations("kvm_pr"));
    }

    @Test
    public void radixHostsAreEioSilently() {
        for (String host : List.of("power9", "power9-guest")) {
            TestKernel k = new TestKernel(Hosts.profile(host));
            assertEquals(host, Errno.EIO.neg(), pr(k).init());
            assertEquals(List.of(), k.dmesg());
            assertNull(slot.get());
            assertEquals(0, k.liveAllocations("kvm_pr"));
        }
    }

    @Test
    public void hpteCacheFailureLeavesNoOps() {
        TestKernel k = new TestKernel(Hosts.profile("power8"));
        k.inject("kvm_pr:kvmppc_mmu_hpte_sysinit", Errno.ENOMEM.neg());
        assertEquals(Errno.ENOMEM.neg(), pr(k).init());
        assertNull(slot.get());
    }
}
