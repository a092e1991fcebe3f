package org.kvmosgi.playground;

import static org.junit.Assert.assertEquals;

import java.util.List;
import org.junit.Test;
import org.kvmosgi.kmod.lib.ModprobeConfig;

/** kmod's testsuite/test-blacklist.c: kmod_module_apply_filter(KMOD_FILTER_BLACKLIST) over four names. */
public class TestBlacklist {
    @Test
    public void blacklist_1() throws Exception {
        Rootfs root = new Rootfs("4.4.4").file("/etc/modprobe.d/modprobe.conf", "blacklist floppy\nblacklist pcspkr\n");
        ModprobeConfig config = root.kmod().config();
        List<String> filtered = List.of("pcspkr", "pcspkr2", "floppy", "ext4").stream()
                .filter(n -> !config.isBlacklisted(n)).toList();
        assertEquals(List.of("pcspkr2", "ext4"), filtered);
    }
}
