package org.kvmosgi.kernel.inject;

import static org.junit.Assert.assertEquals;

import java.util.List;
import org.junit.Test;

/** /sys/kernel/debug/kmemleak's text, kept between reads, follows every add and clear. */
public class KmemleakTest {
    private static final Kmemleak.Leak VMCS = new Kmemleak.Leak("kvm_intel", "kmalloc", "vmcs", 4096,
            0xffff888100001000L, "kvm_intel:vmx_create_vcpu");
    private static final Kmemleak.Leak DEVICE = new Kmemleak.Leak("mod_a", "misc device", "/dev/mod_a", 0, 0,
            "mod_a:init");

    @Test
    public void theTextIsEveryReportInOrderAfterEachChange() {
        Kmemleak k = new Kmemleak();
        assertEquals("", k.render());
        k.add(List.of(VMCS));
        assertEquals(VMCS.report(), k.render());
        assertEquals(VMCS.report(), k.render());
        k.add(List.of(DEVICE));
        assertEquals(VMCS.report() + DEVICE.report(), k.render());
        k.clear();
        assertEquals("", k.render());
        k.add(List.of(DEVICE));
        assertEquals(DEVICE.report(), k.render());
    }

    @Test
    public void aReportIsKmemleaksBlock() {
        assertEquals("unreferenced object 0xffff888100001000 (size 4096):\n  comm \"insmod\", module kvm_intel\n"
                + "  kmalloc: vmcs\n  backtrace:\n    [<ffff888100001000>] kvm_intel:vmx_create_vcpu\n"
                + "    [<ffff888100001000>] do_init_module\n", VMCS.report());
    }
}
