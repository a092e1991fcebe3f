package org.kvmosgi.kvm.ppc;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.Test;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.host.CpuFlags;
import org.kvmosgi.kernel.testkit.Hosts;
import org.kvmosgi.kernel.testkit.TestKernel;
import org.kvmosgi.kvm.ppc.api.MmioAccess;
import org.kvmosgi.kvm.ppc.api.OpsSlot;
import org.kvmosgi.kvm.ppc.api.PpcKvm;
import org.kvmosgi.kvm.ppc.hv.KvmHv;

/** kvmppc_book3s_init_hv(): order of steps, checks, messages, errnos, ops set last, everything freed. */
public class HvInitTest {
    static final Map<String, String> HV_PARAMS = Map.of("nested", "Y");
    private static final MmioAccess NO_MMIO = MmioAccess.of((v, a, r, b, s) -> 0, (v, a, x, b) -> 0);

    private final OpsSlot slot = new OpsSlot(PpcKvm.KVMPPC_HV_OPS);

    private KvmHv hv(TestKernel k) {
        ModuleContext ctx = k.context("kvm_hv", HV_PARAMS);
        return new KvmHv(ctx, slot, NO_MMIO);
    }

    @Test
    public void power8InitsWithTheHptSteps() {
        TestKernel k = new TestKernel(Hosts.profile("power8"));
        KvmHv hv = hv(k);
        assertEquals(0, hv.init());
        assertSame(hv, slot.get());
        assertEquals(List.of("kvm_hv:kvmhv_nested_init", "kvm_hv:kvm_init_subcore_bitmap", "kvm_hv:kvmppc_mmu_hv_init",
                "kvm_hv:kvmppc_uvmem_init"), k.steps());
        assertEquals(List.of(), k.dmesg());
        assertEquals("subcore state + LPID bitmap", 2, k.liveAllocations("kvm_hv"));
        hv.exit();
        assertNull(slot.get());
        assertEquals(0, k.liveAllocations("kvm_hv"));
    }

    @Test
    public void power9InitsWithRadix() {
        TestKernel k = new TestKernel(Hosts.profile("power9"));
        KvmHv hv = hv(k);
        assertEquals(0, hv.init());
        assertEquals(List.of("kvm_hv:kvmhv_nested_init", "kvm_hv:kvmppc_mmu_hv_init", "kvm_hv:kvmppc_radix_init",
                "kvm_hv:kvmppc_uvmem_init"), k.steps());
        assertTrue(hv.hashV3Possible());
        assertEquals(0, hv.enableNested(null));
        hv.exit();
        assertEquals(0, k.liveAllocations("kvm_hv"));
    }

    @Test
    public void noTlbieIsEnodevWithTheMessageAndNothingElseRuns() {
        TestKernel k = new TestKernel(Hosts.of("power9-no-tlbie", "IBM", 4, CpuFlags.HVMODE, CpuFlags.RADIX,
                CpuFlags.ARCH_3_00));
        assertEquals(Errno.ENODEV.neg(), hv(k).init());
        assertEquals(List.of("KVM-HV: Host does not support TLBIE"), k.dmesg());
        assertEquals(List.of(), k.steps());
        assertNull(slot.get());
    }

    @Test
    public void power8GuestWithoutHypervisorModeIsEnodevSilently() {
        TestKernel k = new TestKernel(Hosts.of("power8-guest", "IBM", 4, CpuFlags.TLBIE, CpuFlags.HPT));
        assertEquals(Errno.ENODEV.neg(), hv(k).init());
        assertEquals(List.of(), k.dmesg());
        assertEquals(List.of(), k.steps());
        assertNull(slot.get());
    }

    @Test
    public void power9GuestAsksTheParentHypervisorForNestingAndFreesTheTable() {
        TestKernel k = new TestKernel(Hosts.profile("power9-guest"));
        assertEquals(Errno.ENODEV.neg(), hv(k).init());
        assertEquals(List.of("kvm-hv: Parent hypervisor does not support nesting (rc=-2)"), k.dmesg());
        assertEquals(List.of("kvm_hv:kvmhv_nested_init"), k.steps());
        assertEquals(0, k.liveAllocations("kvm_hv"));
        assertNull(slot.get());
    }

    @Test
    public void power9GuestInKvmModeIsANestedHypervisor() {
        TestKernel k = new TestKernel(Hosts.of("power9-guest-kvm", "IBM", 4, CpuFlags.TLBIE, CpuFlags.RADIX,
                CpuFlags.ARCH_3_00, PpcKvm.FLAG_PAPR_NESTED));
        KvmHv hv = hv(k);
        assertEquals(0, hv.init());
        assertEquals("partition table + LPIDs + radix caches", 3, k.liveAllocations("kvm_hv"));
        assertEquals("HPT guests are not possible nested", false, hv.hashV3Possible());
        hv.exit();
        assertEquals(0, k.liveAllocations("kvm_hv"));
    }

    /** Each later step's failure frees what the earlier ones allocated, and the ops stay unset. */
    @Test
    public void everyStepFailureUnwindsEverything() {
        for (String host : List.of("power8", "power9")) {
            for (String step : List.of("kvm_init_subcore_bitmap", "kvmppc_mmu_hv_init", "kvmppc_radix_init",
                    "kvmppc_uvmem_init")) {
                TestKernel k = new TestKernel(Hosts.profile(host));
                k.inject("kvm_hv:" + step, Errno.ENOMEM.neg());
                boolean runs = !(host.equals("power8") && step.equals("kvmppc_radix_init"))
                        && !(host.equals("power9") && step.equals("kvm_init_subcore_bitmap"));
                int r = hv(k).init();
                assertEquals(host + " " + step, runs ? Errno.ENOMEM.neg() : 0, r);
                if (runs) {
                    assertNull(host + " " + step + ": ops never set", slot.get());
                    assertEquals(host + " " + step + ": leaks", 0, k.liveAllocations("kvm_hv"));
                }
                slot.set(null);
            }
        }
    }

    @Test
    public void radixInitErrorIsChecked() {
        TestKernel k = new TestKernel(Hosts.profile("power9"));
        k.inject("kvm_hv:kvmppc_radix_init", Errno.ENOMEM.neg());
        assertEquals(Errno.ENOMEM.neg(), hv(k).init());
        assertEquals("uvmem never ran", List.of("kvm_hv:kvmhv_nested_init", "kvm_hv:kvmppc_mmu_hv_init",
                "kvm_hv:kvmppc_radix_init"), k.steps());
    }

    @Test
    public void uvmemFailureIsReportedAndFreesEverything() {
        TestKernel k = new TestKernel(Hosts.profile("power9"));
        k.inject("kvm_hv:kvmppc_uvmem_init", Errno.ENOMEM.neg());
        assertEquals(Errno.ENOMEM.neg(), hv(k).init());
        assertEquals(List.of("KVM-HV: kvmppc_uvmem_init failed -12"), k.dmesg());
        assertEquals(0, k.liveAllocations("kvm_hv"));
        assertNull(slot.get());
    }

    /** The ops pointer is not visible during any step: it is set after the last one. */
    @Test
    public void opsAreSetAfterTheLastStep() {
        TestKernel k = new TestKernel(Hosts.profile("power9"));
        ModuleContext real = k.context("kvm_hv", HV_PARAMS);
        boolean[] seenDuringSteps = {false};
        ModuleContext watching = new DelegatingContext(real) {
            @Override
            public int step(String name, java.util.function.IntSupplier body) {
                seenDuringSteps[0] |= slot.get() != null;
                int r = real.step(name, body);
                seenDuringSteps[0] |= slot.get() != null;
                return r;
            }
        };
        KvmHv hv = new KvmHv(watching, slot, NO_MMIO);
        assertEquals(0, hv.init());
        assertEquals(false, seenDuringSteps[0]);
        assertSame(hv, slot.get());
    }

    @Test
    public void nestedParameterOffDisablesNestedCapability() {
        TestKernel k = new TestKernel(Hosts.profile("power9"));
        KvmHv hv = new KvmHv(k.context("kvm_hv", Map.of("nested", "N")), slot, NO_MMIO);
        assertEquals(0, hv.init());
        assertEquals(Errno.EPERM.neg(), hv.enableNested(null));
    }
}
