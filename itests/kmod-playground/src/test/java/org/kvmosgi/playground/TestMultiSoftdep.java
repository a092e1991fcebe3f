package org.kvmosgi.playground;

import static org.junit.Assert.assertEquals;

import java.util.List;
import org.junit.Test;
import org.kvmosgi.kmod.Run;

/**
 * kmod's testsuite/test-multi-softdep.c, where the model keeps kmod 34.2 on purpose:
 * that test came after the release (kmod master merges every softdep line of a module);
 * kmod 34.2's libkmod, which the model reproduces, takes the first matching line only.
 * The same root and modules, with 34.2's answer.
 */
public class TestMultiSoftdep {
    @Test
    public void multi_softdep() throws Exception {
        String dir = "/lib/modules/4.4.4";
        Rootfs root = new Rootfs("4.4.4");
        for (String m : List.of("mod-foo-a", "mod-foo-b", "mod-foo-c", "mod-softdep-a", "mod-softdep-b")) {
            root.ko(dir + "/kernel/", m);
        }
        root.file("/etc/modprobe.d/dumb-softdep.conf", "softdep\tmod-softdep-a\tpre: mod-foo-a\n"
                        + "softdep\tmod-softdep-a\tpre: mod-foo-b\nsoftdep\tmod-softdep-a\tpost: mod-foo-c\n"
                        + "softdep\tmod-softdep-b\tpre: mod-foo-a\n")
                .file("/etc/modprobe.d/dumb-softdep2.conf", "softdep\tmod-softdep-b\tpost: mod-foo-b mod-foo-c\n")
                .file(dir + "/modules.dep", "kernel/mod-foo-b.ko:\nkernel/mod-foo-c.ko:\nkernel/mod-foo-a.ko:\n"
                        + "kernel/mod-softdep-b.ko:\nkernel/mod-softdep-a.ko:\n");
        Run a = root.modprobe("--show-depends", "mod-softdep-a");
        // kmod master: pre mod_foo_a mod_foo_b, post mod_foo_c; 34.2: the first line, pre mod_foo_a
        assertEquals("insmod " + dir + "/kernel/mod-foo-a.ko \ninsmod " + dir + "/kernel/mod-softdep-a.ko \n", a.out);
        Run b = root.modprobe("--show-depends", "mod-softdep-b");
        assertEquals("insmod " + dir + "/kernel/mod-foo-a.ko \ninsmod " + dir + "/kernel/mod-softdep-b.ko \n", b.out);
    }
}
