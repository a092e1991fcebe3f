package org.kvmosgi.playground;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import org.junit.Test;
import org.kvmosgi.kmod.lib.Kmod;

/** kmod's testsuite/test-remove.c over the model's libkmod (Kmod): insert, remove, the sysfs directory gone. */
public class TestRemove {
    @Test
    public void test_remove() throws Exception {
        Rootfs root = new Rootfs("4.4.4").ko("/", "mod-simple");
        Kmod kmod = root.kmod();
        Kmod.Mod mod = kmod.fromPath("/mod-simple.ko");
        assertEquals(0, kmod.insert(mod.path(), null, 0));
        assertEquals("live", kmod.initstate("mod_simple"));
        assertEquals(0, kmod.remove(mod.name, false));
        assertNull("/sys/module/mod_simple is gone", kmod.initstate("mod_simple"));
    }
}
