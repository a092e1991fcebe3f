package org.kvmosgi.kvm.ppc;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.kvmosgi.kvm.api.KvmIoctl.KVM_CREATE_VM;

import java.util.Map;
import java.util.TreeMap;
import org.junit.Test;
import org.kvmosgi.kernel.api.SymbolExports;
import org.kvmosgi.kernel.testkit.Hosts;
import org.kvmosgi.kernel.testkit.TestKernel;
import org.kvmosgi.kvm.ppc.api.HandleLoad;
import org.kvmosgi.kvm.ppc.api.HandleStore;
import org.kvmosgi.kvm.ppc.api.OpsSlot;
import org.kvmosgi.kvm.ppc.api.PpcKvm;
import org.kvmosgi.kvm.ppc.module.hv.KvmHvModule;
import org.kvmosgi.kvm.ppc.module.kvm.KvmModule;
import org.kvmosgi.kvm.ppc.module.pr.KvmPrModule;

/** The split module classes: kvm's exports are what kvm_hv and kvm_pr import, and they plug in through them. */
public class ModuleWiringTest {
    @Test
    public void splitModulesWireThroughTheExports() {
        TestKernel k = new TestKernel(Hosts.profile("power8"));
        KvmModule kvm = new KvmModule();
        Map<String, Class<?>> types = new TreeMap<>();
        kvm.exports(new SymbolExports() {
            @Override
            public <T> void put(String symbol, Class<T> type, T value) {
                types.put(symbol, type);
                k.export(symbol, value);
            }
        });
        assertEquals(Map.of(PpcKvm.KVMPPC_HV_OPS, OpsSlot.class, PpcKvm.KVMPPC_PR_OPS, OpsSlot.class,
                PpcKvm.KVMPPC_HANDLE_LOAD, HandleLoad.class, PpcKvm.KVMPPC_HANDLE_STORE, HandleStore.class), types);
        assertEquals(0, kvm.init(k.context("kvm", CoreTest.kvmParams(Map.of()))));
        assertTrue(k.devices().contains("kvm"));

        KvmHvModule hv = new KvmHvModule();
        KvmPrModule pr = new KvmPrModule();
        assertEquals(0, hv.init(k.context("kvm_hv", HvInitTest.HV_PARAMS)));
        assertEquals(0, pr.init(k.context("kvm_pr", Map.of())));
        OpsSlot hvOps = (OpsSlot) k.symbol(PpcKvm.KVMPPC_HV_OPS);
        OpsSlot prOps = (OpsSlot) k.symbol(PpcKvm.KVMPPC_PR_OPS);
        assertEquals("what diagnostics read", "kvm_hv", hvOps.name());
        assertEquals("kvm_pr", prOps.name());

        int fd = k.open("kvm");
        assertTrue(k.ioctl(fd, KVM_CREATE_VM, PpcKvm.KVM_VM_PPC_PR) > 0);

        hv.exit(null);
        assertEquals("", hvOps.name());
        assertEquals(0, k.liveAllocations("kvm_hv"));
        assertTrue(hv.hasExit() && pr.hasExit() && kvm.hasExit());
        kvm.exit(null);
        assertFalse(k.devices().contains("kvm"));
    }
}
