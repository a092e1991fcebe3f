package org.kvmosgi.playground;

import static org.junit.Assert.assertEquals;

import java.util.List;
import org.junit.Test;
import org.kvmosgi.kernel.api.modinfo.ModuleInfo;
import org.kvmosgi.kmod.FakeSyscalls;
import org.kvmosgi.kmod.lib.Kmod;

/**
 * kmod's testsuite/test-loaded.c: kmod_module_new_from_loaded() and, per module, its
 * size, refcount and holders, printed as the test prints them (lsmod's format with a
 * trailing space), from rootfs-pristine/test-loaded's /proc/modules and /sys/module/btusb.
 */
public class TestLoaded {
    @Test
    public void loaded_1() throws Exception {
        Rootfs root = new Rootfs("4.4.4");
        // proc/modules: "btusb 11216 0 - Live 0xffffffffa014a000"; sys/module/btusb: refcnt 0, no holders
        FakeSyscalls.Loaded btusb = new FakeSyscalls.Loaded("btusb", new ModuleInfo("btusb", "GPL", "", "", "", "",
                List.of(), List.of(), List.of(), "", List.of(), List.of()));
        btusb.size = 11216;
        root.sys.loaded.put("btusb", btusb);
        Kmod kmod = root.kmod();
        StringBuilder out = new StringBuilder("Module                  Size  Used by\n");
        for (String name : kmod.loaded()) {
            out.append(String.format("%-19s %8d  %d ", name, kmod.size(name), kmod.refcnt(name)));
            out.append(String.join(",", kmod.holders(name))).append('\n');
        }
        assertEquals("Module                  Size  Used by\nbtusb                  11216  0 \n", out.toString());
    }
}
