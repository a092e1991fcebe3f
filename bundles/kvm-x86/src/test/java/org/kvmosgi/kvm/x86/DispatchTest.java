package org.kvmosgi.kvm.x86;

import static org.junit.Assert.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.Test;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.host.Host;
import org.kvmosgi.kernel.testkit.TestKernel;
import org.kvmosgi.kvm.api.KvmIoctl;
import org.kvmosgi.kvm.api.KvmStat;
import org.kvmosgi.kvm.api.x86.KvmSymbols;
import org.kvmosgi.kvm.api.x86.KvmX86OpsView;
import org.kvmosgi.kvmtool.guest.Workload;
import org.kvmosgi.kvmtool.vmm.Vm;

/** kvm.dispatch=: the three styles run the same guests the same way and differ only in the calls counted. */
public class DispatchTest {
    static final String[] STYLES = {"ops", "static_call", "direct"};
    static final int N = 500;

    private static TestKernel boot(Host host, String style, boolean intel) {
        TestKernel k = Kvms.kernel(host);
        assertEquals(0, Kvms.loadKvm(k, style));
        assertEquals(0, intel ? Kvms.loadIntel(k) : Kvms.loadAmd(k));
        return k;
    }

    private static KvmX86OpsView ops(TestKernel k) {
        return (KvmX86OpsView) k.symbol(KvmSymbols.KVM_X86_OPS);
    }

    /** Per workload and vendor: the same exits and stats in every style; only ops makes indirect calls. */
    @Test
    public void everyStyleRunsTheSameGuestsAndOnlyOpsCallsIndirectly() throws Exception {
        Workload[] ws = {Workload.CPUID, Workload.VMCALL, Workload.MOV_TO_CR8, Workload.INL_FROM_QEMU,
            Workload.RD_TSC_ADJUST_MSR, Workload.WR_TSC_ADJUST_MSR};
        for (boolean intel : new boolean[] {true, false}) {
            for (Workload w : ws) {
                long[] first = null;
                for (String style : STYLES) {
                    TestKernel k = boot(intel ? Kvms.intel() : Kvms.amd(), style, intel);
                    assertEquals(style, ops(k).dispatch());
                    try (Vm vm = Vm.create(k.syscalls(), "t", 1, Vm.DEFAULT_MEM, w.needsIrqchip())) {
                        vm.run(w, N, 0); // kvm_amd patches VMCALL once on the first run
                        long[] s = vm.run(w, N, 0).stats;
                        String what = (intel ? "intel " : "amd ") + w.id() + " " + style;
                        long ind = s[KvmStat.INDIRECT_CALLS];
                        if (style.equals("ops")) {
                            // at least vcpu_run and handle_exit on every exit
                            assertTrue(what + ": " + ind, ind >= 2 * s[KvmStat.EXITS]);
                        } else {
                            assertEquals(what, 0, ind);
                        }
                        s[KvmStat.INDIRECT_CALLS] = 0;
                        if (first == null) {
                            first = s;
                        } else {
                            assertArrayEquals(what, first, s);
                        }
                    }
                }
            }
        }
    }

    /** The counts are exact: cpuid is vcpu_run, handle_exit and skip_emulated_instruction through the table. */
    @Test
    public void opsCountsThreeIndirectCallsPerCpuidExit() throws Exception {
        TestKernel k = boot(Kvms.intel(), "ops", true);
        try (Vm vm = Vm.create(k.syscalls(), "t", 1, Vm.DEFAULT_MEM, false)) {
            long[] s = vm.run(Workload.CPUID, N, 0).stats;
            // N cpuid exits (3 calls each) and the isa-debug-exit OUT that ends the run (vcpu_run, handle_exit)
            assertEquals(N + 1, s[KvmStat.EXITS]);
            assertEquals(3L * N + 2, s[KvmStat.INDIRECT_CALLS]);
        }
    }

    /** static_call's three variants: a direct call, static_call_cond's no-op, __static_call_return0; unpatched at exit. */
    @Test
    public void staticCallSitesArePatchedPerVendorAndUnpatchedAtItsExit() {
        TestKernel k = boot(Kvms.lab(), "static_call", true);
        List<String> sites = ops(k).sites();
        assertTrue(sites.toString(), sites.contains(line("vcpu_run", "static_call", "vmx_vcpu_run")));
        assertTrue(sites.toString(), sites.contains(line("get_mt_mask", "static_call", "vmx_get_mt_mask")));
        assertEquals(0, k.unload("kvm_intel"));
        assertTrue(ops(k).sites().toString(), ops(k).sites().contains(line("vcpu_run", "static_call", "(null)")));
        assertEquals(0, Kvms.loadAmd(k));
        sites = ops(k).sites();
        assertTrue(sites.toString(), sites.contains(line("vcpu_run", "static_call", "svm_vcpu_run")));
        assertTrue(sites.toString(), sites.contains(line("cancel_hv_timer", "static_call", "__static_call_nop")));
        assertTrue(sites.toString(), sites.contains(line("get_mt_mask", "static_call", "__static_call_return0")));
        assertTrue(sites.toString(), sites.contains(line("request_immediate_exit", "vcpu_run", "__kvm_request_immediate_exit")));
    }

    /**
     * The sites' class is defined at the first call after each kvm_ops_update(), not by the
     * update: a vendor loaded after another (run, or loaded and never run) runs its own
     * functions, exactly as a kernel that only ever had it does.
     */
    @Test
    public void aVendorLoadedAfterAnotherRunsItsOwnFunctions() throws Exception {
        TestKernel k = boot(Kvms.lab(), "static_call", true);
        long[] intel = cpuid(k);
        assertEquals(0, k.unload("kvm_intel"));
        assertEquals(0, Kvms.loadAmd(k));
        assertEquals(0, k.unload("kvm_amd")); // patched, never called
        assertEquals(0, Kvms.loadIntel(k));
        assertArrayEquals(intel, cpuid(k));
        assertEquals(0, k.unload("kvm_intel"));
        assertEquals(0, Kvms.loadAmd(k));
        assertArrayEquals(cpuid(boot(Kvms.lab(), "static_call", false)), cpuid(k));
    }

    /** The stats of a cpuid guest's second run on a new VM. */
    private static long[] cpuid(TestKernel k) throws Exception {
        try (Vm vm = Vm.create(k.syscalls(), "t", 1, Vm.DEFAULT_MEM, false)) {
            vm.run(Workload.CPUID, N, 0);
            return vm.run(Workload.CPUID, N, 0).stats;
        }
    }

    /** KVMOSGI_GET_DISPATCH on /dev/kvm: what {@code vm dispatch} prints. */
    @Test
    public void devKvmShowsTheStyleAndTheSites() throws Exception {
        TestKernel k = boot(Kvms.amd(), "ops", false);
        int fd = k.syscalls().open("/dev/kvm");
        List<String> out = new ArrayList<>();
        assertEquals(0, k.syscalls().ioctl(fd, KvmIoctl.KVMOSGI_GET_DISPATCH, out));
        assertEquals("dispatch: ops (vendor kvm_amd)", out.get(0));
        assertTrue(out.toString(), out.contains(line("handle_exit", "ops", "svm_handle_exit")));
        try {
            k.syscalls().ioctl(fd, KvmIoctl.KVMOSGI_GET_DISPATCH, "not a list");
            fail("a string is not a list");
        } catch (org.kvmosgi.kernel.api.ErrnoException e) {
            assertEquals(Errno.EFAULT.neg(), -e.errno());
        }
    }

    @Test
    public void anUnknownStyleFailsKvmsInit() {
        TestKernel k = Kvms.kernel(Kvms.intel());
        Map<String, String> p = Kvms.kvmParams();
        p.put("dispatch", "retpoline");
        assertEquals(Errno.EINVAL.neg(), k.load("kvm", new org.kvmosgi.kvm.x86.split.KvmModule(), p));
        assertTrue(k.dmesg().toString(), k.dmesg().contains("kvm: invalid dispatch 'retpoline' (ops, static_call or direct)"));
        assertFalse(k.isLive("kvm"));
    }

    static String line(String op, String how, String target) {
        return String.format("%-30s %-12s %s", op, how, target);
    }
}
