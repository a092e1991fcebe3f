package org.kvmosgi.playground;

import static org.junit.Assert.assertEquals;

import org.junit.Test;
import org.kvmosgi.kmod.Run;
import org.kvmosgi.kmod.lib.Kmod;

/** kmod's testsuite/test-weakdep.c: kmod_module_get_weakdeps() and modprobe -c with weakdep lines. */
public class TestWeakdep {
    private static final String DIR = "/lib/modules/4.4.4";

    /** rootfs-pristine/test-weakdep (dumb-weakdep.conf's first line ends in a space and a tab). */
    private static Rootfs root() throws Exception {
        return new Rootfs("4.4.4")
                .ko(DIR + "/kernel/mod-loop-a.ko", "mod-loop-a").ko(DIR + "/kernel/mod-loop-b.ko", "mod-loop-b")
                .ko(DIR + "/kernel/mod-simple.ko", "mod-simple").ko(DIR + "/kernel/mod-weakdep.ko", "mod-weakdep")
                .file("/etc/modprobe.d/dumb-weakdep.conf", "weakdep mod-loop-a \t\nweakdep mod-loop-b mod-loop-a mod-simple\n")
                .file(DIR + "/modules.dep", "kernel/mod-weakdep.ko:\nkernel/mod-simple.ko:\nkernel/mod-loop-b.ko:\n"
                        + "kernel/mod-loop-a.ko: kernel/mod-loop-b.ko\n")
                .file(DIR + "/modules.alias", "# Aliases extracted from modules themselves.\n")
                .file(DIR + "/modules.symbols", "# Aliases for symbols, used by symbol_request().\n"
                        + "alias symbol:printB mod_loop_b\nalias symbol:printA mod_loop_a\n")
                .file(DIR + "/modules.weakdep", "# Weak dependencies extracted from modules themselves.\n"
                        + "weakdep mod_weakdep mod-simple\n");
    }

    @Test
    public void test_weakdep() throws Exception {
        Rootfs root = root();
        Kmod kmod = root.kmod();
        StringBuilder out = new StringBuilder();
        for (String name : new String[] {"mod-loop-b", "mod-weakdep"}) {
            out.append(name).append(':');
            for (Kmod.Mod w : kmod.weakdeps(kmod.lookup(name).get(0))) {
                out.append(' ').append(w.name);
            }
            out.append('\n');
        }
        assertEquals("mod-loop-b: mod_loop_a mod_simple\nmod-weakdep: mod_simple\n", out.toString());
        assertEquals("nothing is loaded by asking", 0, root.loaded().size());
    }

    @Test
    public void modprobe_config() throws Exception {
        Run r = root().modprobe("-c");
        assertEquals("weakdep mod_loop_a \nweakdep mod_loop_b mod-loop-a mod-simple\nweakdep mod_weakdep mod-simple\n"
                + "\n# End of configuration files. Dumping indexes now:\n\n"
                + "alias symbol:printA mod_loop_a\nalias symbol:printB mod_loop_b\n", r.out);
        assertEquals(0, r.status);
    }
}
