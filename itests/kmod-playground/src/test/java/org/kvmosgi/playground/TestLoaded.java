package org.kvmosgi.playground;

import static org.junit.Assert.assertEquals;

import org.junit.Test;
import org.kvmosgi.kmod.lib.Kmod;

/**
 * kmod's testsuite/test-loaded.c: kmod_module_new_from_loaded() and, per module, its
 * size, refcount and holders, printed as the test prints them (lsmod's format with a
 * trailing space), from rootfs-pristine/test-loaded's /proc/modules and /sys/module/btusb.
 */
public class TestLoaded {
    @Test
    public void loaded_1() throws Exception {
        // rootfs-pristine/test-loaded: proc/modules, and sys/module/btusb with refcnt 0 and no holders
        Rootfs root = new Rootfs("4.4.4").file("/proc/modules", "btusb 11216 0 - Live 0xffffffffa014a000\n")
                .file("/sys/module/btusb/initstate", "live\n").file("/sys/module/btusb/refcnt", "0\n");
        java.nio.file.Files.createDirectories(root.sys.hostPath("/sys/module/btusb/holders"));
        Kmod kmod = root.kmod();
        StringBuilder out = new StringBuilder("Module                  Size  Used by\n");
        for (String name : kmod.loaded()) {
            out.append(String.format("%-19s %8d  %d ", name, kmod.size(name), kmod.refcnt(name)));
            out.append(String.join(",", kmod.holders(name))).append('\n');
        }
        assertEquals("Module                  Size  Used by\nbtusb                  11216  0 \n", out.toString());
    }
}
