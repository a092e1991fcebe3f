package org.kvmosgi.playground;

import static org.junit.Assert.assertEquals;

import java.util.List;
import org.junit.Test;
import org.kvmosgi.kmod.lib.Kmod;

/** kmod's testsuite/test-initstate.c: a module in modules.builtin is KMOD_MODULE_BUILTIN, found by lookup or by name. */
public class TestInitstate {
    private static Kmod root() throws Exception {
        return new Rootfs("4.4.4").file("/lib/modules/4.4.4/modules.builtin", "kernel/fake_builtin.ko\n")
                .file("/lib/modules/4.4.4/modules.dep", "").kmod();
    }

    @Test
    public void test_initstate_from_lookup() throws Exception {
        Kmod kmod = root();
        List<Kmod.Mod> list = kmod.lookup("fake-builtin");
        assertEquals(1, list.size());
        assertEquals("builtin", kmod.initstate(list.get(0).name));
    }

    @Test
    public void test_initstate_from_name() throws Exception {
        Kmod kmod = root();
        assertEquals("builtin", kmod.initstate(kmod.fromName("fake-builtin").name));
    }
}
