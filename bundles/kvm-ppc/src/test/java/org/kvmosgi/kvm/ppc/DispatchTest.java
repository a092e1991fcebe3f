package org.kvmosgi.kvm.ppc;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.kvmosgi.kvm.api.KvmIoctl.KVMOSGI_GET_DISPATCH;
import static org.kvmosgi.kvm.api.KvmIoctl.KVM_CHECK_EXTENSION;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.SymbolExports;
import org.kvmosgi.kernel.testkit.Hosts;
import org.kvmosgi.kernel.testkit.TestKernel;
import org.kvmosgi.kvm.api.dispatch.Dispatch;
import org.kvmosgi.kvm.ppc.api.PpcKvm;
import org.kvmosgi.kvm.ppc.module.kvm.KvmModule;

/** kvm.dispatch= on Book3S: every style runs HV and PR guests alike; the sites follow the ops pointers. */
public class DispatchTest {
    /** What KVMOSGI_GET_DISPATCH (vm dispatch) answers on /dev/kvm. */
    static List<String> sites(TestKernel k) {
        int fd = k.open("kvm");
        List<String> out = new ArrayList<>();
        assertEquals(0, k.ioctl(fd, KVMOSGI_GET_DISPATCH, out));
        k.close(fd);
        return out;
    }

    static String line(String site, String style, String target) {
        return String.format("%-32s %-12s %s", site, style, target);
    }

    @Test
    public void everyStyleRunsHvAndPrGuestsAlike() {
        for (Dispatch style : Dispatch.values()) {
            // POWER8 in HV mode with HPT: both implementations load, both VM types run
            CoreTest.Split s = new CoreTest.Split("power8", style);
            assertEquals(0, s.loadHv());
            assertEquals(0, s.loadPr());
            assertEquals(style, s.core.calls().style());
            GuestWorkloadTest.runsTheWorkload(s, PpcKvm.KVM_VM_PPC_HV);
            GuestWorkloadTest.runsTheWorkload(s, PpcKvm.KVM_VM_PPC_PR);
        }
    }

    @Test
    public void staticCallSitesArePatchedByTheOpsPointersAndUnpatchedAtExit() {
        CoreTest.Split s = new CoreTest.Split("power9", Dispatch.STATIC_CALL);
        long hashV3 = PpcKvm.KVM_CAP_PPC_MMU_HASH_V3;
        int fd = s.k.open("kvm");
        assertEquals(List.of("dispatch: static_call (kvmppc_hv_ops (null), kvmppc_pr_ops (null))",
                line("kvmppc_hv_ops.vcpu_run", "static_call", "(null)"),
                line("kvmppc_pr_ops.vcpu_run", "static_call", "(null)"),
                line("kvmppc_hv_ops.hash_v3_possible", "static_call", "__static_call_return0"),
                line("kvmppc_handle_load", "export", "kvmppc_handle_load"),
                line("kvmppc_handle_store", "export", "kvmppc_handle_store")), sites(s.k));
        assertEquals("no HV: the _RET0 site answers 0", 0, s.k.ioctl(fd, KVM_CHECK_EXTENSION, hashV3));

        assertEquals(0, s.loadHv());
        List<String> loaded = sites(s.k);
        assertEquals("dispatch: static_call (kvmppc_hv_ops kvm_hv, kvmppc_pr_ops (null))", loaded.get(0));
        assertEquals(line("kvmppc_hv_ops.vcpu_run", "static_call", "kvmppc_vcpu_run_hv"), loaded.get(1));
        assertEquals(line("kvmppc_hv_ops.hash_v3_possible", "static_call", "kvmppc_hash_v3_possible"), loaded.get(3));
        assertEquals("POWER9 in HV mode: the patched site calls HV's function", 1,
                s.k.ioctl(fd, KVM_CHECK_EXTENSION, hashV3));
        GuestWorkloadTest.runsTheWorkload(s, PpcKvm.KVM_VM_PPC_HV);

        s.hv.exit();
        List<String> unloaded = sites(s.k);
        assertEquals(line("kvmppc_hv_ops.vcpu_run", "static_call", "(null)"), unloaded.get(1));
        assertEquals(line("kvmppc_hv_ops.hash_v3_possible", "static_call", "__static_call_return0"), unloaded.get(3));
        assertEquals(0, s.k.ioctl(fd, KVM_CHECK_EXTENSION, hashV3));
    }

    /**
     * The sites' class is defined at the first call after each pointer change, not by the
     * change: a guest runs the functions set last, never those of a class defined before.
     */
    @Test
    public void eachPointerChangeIsCalledThroughAClassDefinedAfterIt() {
        CoreTest.Split s = new CoreTest.Split("power8", Dispatch.STATIC_CALL);
        assertEquals(0, s.loadPr());
        GuestWorkloadTest.runsTheWorkload(s, PpcKvm.KVM_VM_PPC_PR); // a class over PR alone
        assertEquals(0, s.loadHv());
        GuestWorkloadTest.runsTheWorkload(s, PpcKvm.KVM_VM_PPC_HV); // the class over PR alone would BUG here
        s.hv.exit();
        GuestWorkloadTest.runsTheWorkload(s, PpcKvm.KVM_VM_PPC_PR);
        s.pr.exit();
        assertEquals(line("kvmppc_pr_ops.vcpu_run", "static_call", "(null)"), sites(s.k).get(2));
    }

    @Test
    public void opsAndDirectShowTheFunctionsThePointersHold() {
        for (Dispatch style : List.of(Dispatch.OPS, Dispatch.DIRECT)) {
            CoreTest.Split s = new CoreTest.Split("power8", style);
            assertEquals(0, s.loadPr());
            assertEquals(List.of("dispatch: " + style.param + " (kvmppc_hv_ops (null), kvmppc_pr_ops kvm_pr)",
                    line("kvmppc_hv_ops.vcpu_run", style.param, "(null)"),
                    line("kvmppc_pr_ops.vcpu_run", style.param, "kvmppc_vcpu_run_pr"),
                    line("kvmppc_hv_ops.hash_v3_possible", style.param, "(null)"),
                    line("kvmppc_handle_load", "export", "kvmppc_handle_load"),
                    line("kvmppc_handle_store", "export", "kvmppc_handle_store")), sites(s.k));
        }
    }

    @Test
    public void anUnknownStyleFailsKvmsInit() {
        TestKernel k = new TestKernel(Hosts.profile("power8"));
        KvmModule kvm = new KvmModule();
        kvm.exports(new SymbolExports() {
            @Override
            public <T> void put(String symbol, Class<T> type, T value) {
                k.export(symbol, value);
            }
        });
        Map<String, String> params = new HashMap<>();
        params.put("dispatch", "retpoline");
        assertEquals(Errno.EINVAL.neg(), kvm.init(k.context("kvm", CoreTest.kvmParams(params))));
        assertTrue(k.dmesg().toString(), k.dmesg().contains("kvm: invalid dispatch 'retpoline' (ops, static_call or direct)"));
        assertFalse("nothing registered", k.devices().contains("kvm"));
    }

    @Test
    public void theUnifiedLayoutCallsDirectly() {
        UnifiedTest.Load l = UnifiedTest.load("power8", UnifiedTest.BOTH);
        assertEquals(0, l.r());
        assertEquals("dispatch: direct (kvmppc_hv_ops kvm, kvmppc_pr_ops kvm)", sites(l.k()).get(0));
        assertEquals(line("kvmppc_pr_ops.vcpu_run", "direct", "kvmppc_vcpu_run_pr"), sites(l.k()).get(2));
    }
}
