package org.kvmosgi.kvm.x86.core;

import static org.junit.Assert.*;

import java.lang.reflect.Proxy;
import org.junit.Test;
import org.kvmosgi.kvm.api.dispatch.Dispatch;
import org.kvmosgi.kvm.api.x86.KvmX86Ops;

/**
 * static_call's patch, defined at the first call after kvm_ops_update(): each call goes to
 * the vendor of the last update, never to one an update or a vendor exit replaced, and an
 * unpatched site BUGs.
 */
public class StaticCallPatchTest {
    /** A vendor whose vcpu_run returns {@code id}, without the optional ops. */
    private static KvmX86Ops vendor(String name, int id) {
        return (KvmX86Ops) Proxy.newProxyInstance(KvmX86Ops.class.getClassLoader(), new Class<?>[] {KvmX86Ops.class},
                (proxy, m, args) -> switch (m.getName()) {
                    case "name" -> name;
                    case "vcpuRun" -> id;
                    case "setHvTimer", "cancelHvTimer", "getMtMask", "requestImmediateExit" -> null;
                    default -> throw new AssertionError("not called here: " + m.getName());
                });
    }

    private static KvmX86OpsTable staticCall() {
        KvmX86OpsTable t = new KvmX86OpsTable();
        t.setStyle(Dispatch.STATIC_CALL);
        return t;
    }

    private static void assertBug(KvmX86OpsTable t) {
        try {
            t.vcpuRun(null, false);
            fail("an unpatched site was called");
        } catch (IllegalStateException e) {
            assertEquals("BUG: static call kvm_x86_ops with no vendor module", e.getMessage());
        }
    }

    @Test
    public void eachCallGoesToTheLastUpdatesVendor() {
        KvmX86OpsTable t = staticCall();
        assertBug(t);
        t.update(vendor("kvm_intel", 1));
        assertEquals(1, t.vcpuRun(null, false));
        assertEquals(1, t.vcpuRun(null, false));
        // a second update before any call, and one after a call: the class defined for 1 goes
        t.update(vendor("kvm_amd", 2));
        t.update(vendor("kvm_amd", 3));
        assertEquals(3, t.vcpuRun(null, false));
        t.clear();
        assertBug(t);
        assertEquals(String.format("%-30s %-12s %s", "vcpu_run", "static_call", "(null)"), t.sites().get(11));
        t.update(vendor("kvm_intel", 4));
        assertEquals(4, t.vcpuRun(null, false));
        assertEquals(0, t.getMtMask(null, 0, false)); // absent _RET0 op: __static_call_return0
    }

    @Test
    public void anUpdateNotCalledThroughAndClearedLeavesTheSitesUnpatched() {
        KvmX86OpsTable t = staticCall();
        t.update(vendor("kvm_intel", 1));
        t.clear();
        assertBug(t);
    }
}
