package org.kvmosgi.kvm.x86;

import static org.junit.Assert.*;
import static org.kvmosgi.kvm.x86.Kvms.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.Test;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.host.CpuFlags;
import org.kvmosgi.kernel.api.host.Host;
import org.kvmosgi.kernel.testkit.Hosts;
import org.kvmosgi.kernel.testkit.TestKernel;
import org.kvmosgi.kvm.api.x86.KvmSymbols;
import org.kvmosgi.kvm.api.x86.KvmX86OpsView;

/** The vendor modules' init and exit in Linux 6.x's order, with its messages, errnos and unwinds. */
public class VendorInitTest {

    private static KvmX86OpsView ops(TestKernel k) {
        return (KvmX86OpsView) k.symbol(KvmSymbols.KVM_X86_OPS);
    }

    /** Nothing of a failed vendor remains; kvm stays loaded (modprobe does not roll it back). */
    private static void assertNothingLeft(TestKernel k, String vendor) {
        assertTrue(k.allocations().toString(), k.allocations().isEmpty());
        assertFalse(k.devices().contains("kvm"));
        assertNull(ops(k).name());
        assertFalse(k.isLive(vendor));
        assertTrue(k.isLive("kvm"));
        assertEquals(0, k.refcount("kvm"));
    }

    @Test
    public void kvmAloneIsALibrary() {
        TestKernel k = Kvms.kernel(intel());
        assertEquals(0, loadKvm(k));
        assertFalse("kvm.ko alone has no /dev/kvm", k.devices().contains("kvm"));
        assertNull(ops(k).name());
        assertTrue(k.allocations().isEmpty());
    }

    @Test
    public void intelLoadsWithDevKvmRegisteredLast() {
        TestKernel k = Kvms.kernel(intel());
        loadKvm(k);
        List<String> seenAtRegister = new ArrayList<>();
        k.onMiscRegister(name -> seenAtRegister.add(name + " ops=" + ops(k).name()));
        assertEquals(0, loadIntel(k));
        assertEquals(List.of("kvm ops=kvm_intel"), seenAtRegister);
        assertEquals("kvm_intel", k.deviceOwner("kvm"));
        assertEquals(1, k.refcount("kvm"));
        assertEquals("vmx_vcpu_run", ops(k).target("vcpu_run"));
        assertTrue(k.dmesg().toString(), k.dmesg().isEmpty());
    }

    @Test
    public void intelOnAmdHost() {
        TestKernel k = Kvms.kernel(amd());
        loadKvm(k);
        assertEquals(Errno.EOPNOTSUPP.neg(), loadIntel(k));
        assertEquals(List.of("kvm_intel: VMX not supported by CPU 0"), k.dmesg());
        assertNothingLeft(k, "kvm_intel");
    }

    @Test
    public void intelWithVmxOffInBios() {
        Host h = Hosts.of("intel-vmx-off", "GenuineIntel", 4, CpuFlags.VMX, CpuFlags.EPT);
        TestKernel k = Kvms.kernel(h);
        loadKvm(k);
        assertEquals(Errno.EOPNOTSUPP.neg(), loadIntel(k));
        assertEquals(List.of("kvm_intel: VMX not enabled (by BIOS) in MSR_IA32_FEAT_CTL on CPU 0"), k.dmesg());
        assertNothingLeft(k, "kvm_intel");
    }

    @Test
    public void amdOnIntelHost() {
        TestKernel k = Kvms.kernel(intel());
        loadKvm(k);
        assertEquals(Errno.EOPNOTSUPP.neg(), loadAmd(k));
        assertEquals(List.of("kvm_amd: CPU 0 isn't AMD or Hygon"), k.dmesg());
        assertNothingLeft(k, "kvm_amd");
    }

    @Test
    public void amdLoadsOnAmdHost() {
        TestKernel k = Kvms.kernel(amd());
        loadKvm(k);
        assertEquals(0, loadAmd(k));
        assertEquals("kvm_amd", k.deviceOwner("kvm"));
        assertNull("SVM has no hv timer", ops(k).target("set_hv_timer"));
        assertEquals("__kvm_request_immediate_exit", ops(k).target("request_immediate_exit"));
    }

    @Test
    public void oneVendorAtATime() {
        TestKernel k = Kvms.kernel(lab());
        loadKvm(k);
        assertEquals(0, loadIntel(k));
        int allocs = k.allocations().size();
        assertEquals(Errno.EEXIST.neg(), loadAmd(k));
        assertEquals(List.of("kvm: already loaded vendor module 'kvm_intel'"), k.dmesg());
        assertEquals("kvm_intel", k.deviceOwner("kvm"));
        assertEquals("kvm_intel", ops(k).name());
        assertEquals(allocs, k.allocations().size());
        assertTrue(k.allocationsOf("kvm_amd").isEmpty());
        // the ops table is cleared last on exit, which lets the other vendor load
        assertEquals(0, k.unload("kvm_intel"));
        assertEquals(0, loadAmd(k));
        assertEquals("kvm_amd", ops(k).name());
        assertEquals("kvm_amd", k.deviceOwner("kvm"));
    }

    @Test
    public void preemptionTimerParamDropsHvTimerOps() {
        TestKernel k = Kvms.kernel(intel());
        loadKvm(k);
        Map<String, String> p = vmxParams();
        p.put("preemption_timer", "N");
        assertEquals(0, loadIntel(k, p));
        assertNull(ops(k).target("set_hv_timer"));
        assertNull(ops(k).target("cancel_hv_timer"));
        assertEquals("__kvm_request_immediate_exit", ops(k).target("request_immediate_exit"));
    }

    @Test
    public void preemptionTimerKeptWhenUsable() {
        TestKernel k = Kvms.kernel(intel());
        loadKvm(k);
        assertEquals(0, loadIntel(k));
        assertEquals("vmx_set_hv_timer", ops(k).target("set_hv_timer"));
        assertEquals("vmx_cancel_hv_timer", ops(k).target("cancel_hv_timer"));
        assertEquals("vmx_request_immediate_exit", ops(k).target("request_immediate_exit"));
    }

    @Test
    public void cpuWithoutPreemptionTimerDropsHvTimerOps() {
        Host h = Hosts.of("intel-nopt", "GenuineIntel", 2, CpuFlags.VMX, CpuFlags.FEAT_CTL_VMX_ENABLED, CpuFlags.EPT);
        TestKernel k = Kvms.kernel(h);
        loadKvm(k);
        assertEquals(0, loadIntel(k));
        assertNull(ops(k).target("set_hv_timer"));
        assertEquals("__kvm_request_immediate_exit", ops(k).target("request_immediate_exit"));
    }

    @Test
    public void inconsistentVmcsConfigClearsOpsAndUnwinds() {
        TestKernel k = Kvms.kernel(Hosts.without(intel(), 2, CpuFlags.VMX_PREEMPTION_TIMER));
        loadKvm(k);
        assertEquals(Errno.EIO.neg(), loadIntel(k));
        assertEquals(List.of("kvm_intel: Inconsistent VMCS config on CPU 2"), k.dmesg());
        assertNothingLeft(k, "kvm_intel");
    }

    @Test
    public void vmxMissingOnOneCpuFailsTheCompatCheck() {
        TestKernel k = Kvms.kernel(Hosts.without(intel(), 3, CpuFlags.VMX));
        loadKvm(k);
        assertEquals(Errno.EIO.neg(), loadIntel(k));
        assertEquals(List.of("kvm_intel: VMX not supported by CPU 3"), k.dmesg());
        assertNothingLeft(k, "kvm_intel");
    }

    @Test
    public void svmMissingOnOneCpuFailsTheCompatCheck() {
        TestKernel k = Kvms.kernel(Hosts.without(amd(), 1, CpuFlags.SVM));
        loadKvm(k);
        assertEquals(Errno.EIO.neg(), loadAmd(k));
        assertEquals(List.of("kvm_amd: SVM not supported by CPU 1"), k.dmesg());
        assertNothingLeft(k, "kvm_amd");
    }

    @Test
    public void everyAllocationFailureUnwinds() {
        for (String what : List.of("x86_emulator", "kvm_user_return_msrs", "kvm_mmu_page_header", "vmxarea",
                "vmx_l1d_flush_pages", "kvm_vcpu")) {
            TestKernel k = Kvms.kernel(intel());
            loadKvm(k);
            k.failKmalloc(what::equals);
            assertEquals(what, Errno.ENOMEM.neg(), loadIntel(k));
            assertNothingLeft(k, "kvm_intel");
            k.failKmalloc(w -> false);
            assertEquals("loads again after " + what, 0, loadIntel(k));
        }
        TestKernel k = Kvms.kernel(intel());
        loadKvm(k);
        k.failKmalloc("x86_emulator"::equals);
        loadIntel(k);
        assertEquals(List.of("kvm: failed to allocate cache for x86 emulator"), k.dmesg());
    }

    @Test
    public void svmAllocationFailuresUnwind() {
        for (String what : List.of("x86_emulator", "svm_save_area", "kvm_vcpu")) {
            TestKernel k = Kvms.kernel(amd());
            loadKvm(k);
            k.failKmalloc(what::equals);
            assertEquals(what, Errno.ENOMEM.neg(), loadAmd(k));
            assertNothingLeft(k, "kvm_amd");
        }
    }

    @Test
    public void miscRegisterFailureUnwinds() {
        TestKernel k = Kvms.kernel(intel());
        loadKvm(k);
        k.failMiscRegister(true);
        assertEquals(Errno.EBUSY.neg(), loadIntel(k));
        assertEquals(List.of("kvm: misc device register failed"), k.dmesg());
        assertNothingLeft(k, "kvm_intel");
    }

    @Test
    public void exitInReverseLeavesNothing() {
        TestKernel k = Kvms.kernel(intel());
        loadKvm(k);
        loadIntel(k);
        assertEquals("kvm is used by kvm_intel", Errno.EBUSY.neg(), k.unload("kvm"));
        assertEquals(0, k.unload("kvm_intel"));
        assertFalse(k.devices().contains("kvm"));
        assertNull(ops(k).name());
        assertTrue(k.allocations().isEmpty());
        assertEquals(0, k.unload("kvm"));
    }

    @Test
    public void vendorOnlyModulesMayLinkInternalSymbols() {
        TestKernel k = Kvms.kernel(intel());
        loadKvm(k);
        int r = k.load("kvmgt", new org.kvmosgi.kernel.api.KernelModule() {
            @Override
            public int init(org.kvmosgi.kernel.api.ModuleContext ctx) {
                return 0;
            }
        }, Map.of(), KvmSymbols.KVM_X86_VENDOR_INIT);
        // what the loader answers on the platform: the exporter gave the symbol to named modules only
        assertEquals(Errno.EINVAL.neg(), r);
        assertTrue(k.dmesg().toString(), k.dmesg().contains("kvmgt: module uses symbol (" + KvmSymbols.KVM_X86_VENDOR_INIT
                + ") from namespace module:kvm_intel,kvm_amd, but does not import it."));
        assertEquals(0, k.load("kvmgt2", new org.kvmosgi.kernel.api.KernelModule() {
            @Override
            public int init(org.kvmosgi.kernel.api.ModuleContext ctx) {
                return 0;
            }
        }, Map.of(), KvmSymbols.KVM_GET_KVM));
    }
}
