package org.kvmosgi.kvm.x86;

import static org.junit.Assert.*;

import java.util.HashMap;
import java.util.Map;
import org.junit.Test;
import org.kvmosgi.kernel.api.host.CpuFlags;
import org.kvmosgi.kernel.api.host.Host;
import org.kvmosgi.kernel.testkit.Hosts;
import org.kvmosgi.kernel.testkit.TestKernel;
import org.kvmosgi.kvm.api.KvmStat;
import org.kvmosgi.kvm.api.x86.KvmSymbols;
import org.kvmosgi.kvm.api.x86.KvmX86OpsView;
import org.kvmosgi.kvm.x86.library.amd.KvmAmdLibrary;
import org.kvmosgi.kvm.x86.library.intel.KvmIntelLibrary;
import org.kvmosgi.kvm.x86.library.kvm.KvmLibraryModule;
import org.kvmosgi.kvm.x86.monolithic.amd.KvmAmdMonolithic;
import org.kvmosgi.kvm.x86.monolithic.intel.KvmIntelMonolithic;
import org.kvmosgi.kvmtool.guest.Workload;
import org.kvmosgi.kvmtool.vmm.Vm;

/**
 * The three x86 layouts are one source packed three ways: the same guests give the same
 * exits and statistics in each, on each host, request_immediate_exit included; only the
 * split layout's ops style calls the vendor indirectly.
 */
public class LayoutsTest {
    static final int N = 200;

    enum Layout { SPLIT, MONOLITHIC, LIBRARY }

    static Host intelNoPreemptionTimer() {
        Host h = Kvms.intel();
        for (int cpu = 0; cpu < h.cpus().size(); cpu++) {
            h = Hosts.without(h, cpu, CpuFlags.VMX_PREEMPTION_TIMER);
        }
        return h;
    }

    private static Map<String, String> merged(Map<String, String> a, Map<String, String> b) {
        Map<String, String> m = new HashMap<>(a);
        m.putAll(b);
        return m;
    }

    /** Loads the layout's modules for one vendor; 0 or the failing load's errno. */
    static int load(TestKernel k, Layout layout, boolean intel) {
        Map<String, String> vendor = intel ? Kvms.vmxParams() : Kvms.svmParams();
        switch (layout) {
            case SPLIT: {
                int r = Kvms.loadKvm(k);
                return r != 0 ? r : intel ? Kvms.loadIntel(k) : Kvms.loadAmd(k);
            }
            case MONOLITHIC:
                return intel ? k.load("kvm_intel", new KvmIntelMonolithic(), merged(Kvms.kvmParams(), vendor))
                        : k.load("kvm_amd", new KvmAmdMonolithic(), merged(Kvms.kvmParams(), vendor));
            default: {
                int r = k.load("kvm", new KvmLibraryModule(), Kvms.kvmParams());
                if (r != 0) {
                    return r;
                }
                String[] imports = {KvmSymbols.KVM_INIT, KvmSymbols.KVM_EXIT};
                return intel ? k.load("kvm_intel", new KvmIntelLibrary(), merged(Kvms.kvmParams(), vendor), imports)
                        : k.load("kvm_amd", new KvmAmdLibrary(), merged(Kvms.kvmParams(), vendor), imports);
            }
        }
    }

    private static long[] run(Host host, Layout layout, boolean intel, Workload w, int nmis) throws Exception {
        TestKernel k = Kvms.kernel(host);
        assertEquals(layout + " on " + host.profile(), 0, load(k, layout, intel));
        try (Vm vm = Vm.create(k.syscalls(), "t", 1, Vm.DEFAULT_MEM, w.needsIrqchip())) {
            vm.run(w, N, 0, nmis);
            return vm.run(w, N, 0, nmis).stats;
        }
    }

    /**
     * Two KVM_NMIs before each KVM_RUN: the first is injected, the second cannot be while
     * it is in progress, so the core asks vcpu_run for an exit right after entry. With a
     * preemption timer VMX arms it at 0; without one (and on SVM) a self-IPI does it.
     */
    @Test
    public void requestImmediateExitTakesTheWayHardwareSetupFoundInEveryLayout() throws Exception {
        Object[][] hosts = {{Kvms.intel(), true, KvmStat.IMMEDIATE_EXIT_TIMER},
            {intelNoPreemptionTimer(), true, KvmStat.IMMEDIATE_EXIT_IPI}, {Kvms.amd(), false, KvmStat.IMMEDIATE_EXIT_IPI}};
        for (Object[] h : hosts) {
            Host host = (Host) h[0];
            boolean intel = (Boolean) h[1];
            int way = (Integer) h[2];
            int other = way == KvmStat.IMMEDIATE_EXIT_TIMER ? KvmStat.IMMEDIATE_EXIT_IPI : KvmStat.IMMEDIATE_EXIT_TIMER;
            long[] first = null;
            for (Layout layout : Layout.values()) {
                long[] s = run(host, layout, intel, Workload.INL_FROM_QEMU, 2);
                String what = layout + " on " + host.profile();
                // N+1 KVM_RUNs (each port read goes to user space, then isa-debug-exit): one forced exit each
                assertEquals(what, N + 1, s[way]);
                assertEquals(what, 0, s[other]);
                assertEquals(what, 2L * (N + 1), s[KvmStat.NMI_INJECTIONS]);
                s[KvmStat.INDIRECT_CALLS] = 0;
                if (first == null) {
                    first = s;
                } else {
                    assertArrayEquals(what + " behaves as the split layout", first, s);
                }
            }
        }
    }

    /** One NMI per KVM_RUN is injected at once: nothing to force. */
    @Test
    public void anNmiThatCanBeInjectedForcesNothing() throws Exception {
        long[] s = run(Kvms.intel(), Layout.MONOLITHIC, true, Workload.INL_FROM_QEMU, 1);
        assertEquals(N + 1, s[KvmStat.NMI_INJECTIONS]);
        assertEquals(0, s[KvmStat.IMMEDIATE_EXIT_TIMER] + s[KvmStat.IMMEDIATE_EXIT_IPI]);
    }

    /** The layouts that link arch/x86 into the vendor call it directly: no kvm_x86_ops to read. */
    @Test
    public void monolithicAndLibraryDispatchDirectly() throws Exception {
        for (Layout layout : new Layout[] {Layout.MONOLITHIC, Layout.LIBRARY}) {
            TestKernel k = Kvms.kernel(Kvms.intel());
            assertEquals(0, load(k, layout, true));
            KvmX86OpsView ops = (KvmX86OpsView) k.symbol(KvmSymbols.KVM_X86_OPS);
            assertEquals(layout.toString(), "direct", ops.dispatch());
            assertEquals("vmx_vcpu_run", ops.target("vcpu_run"));
            try (Vm vm = Vm.create(k.syscalls(), "t", 1, Vm.DEFAULT_MEM, false)) {
                assertEquals(0, vm.run(Workload.CPUID, N, 0).stats[KvmStat.INDIRECT_CALLS]);
            }
            assertEquals(0, k.unload("kvm_intel"));
            assertNull("the vendor's exit cleared its ops", ops.name());
        }
    }
}
