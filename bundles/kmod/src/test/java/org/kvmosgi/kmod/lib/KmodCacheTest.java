package org.kvmosgi.kmod.lib;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.nio.file.Files;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.Before;
import org.junit.Test;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kernel.testkit.Hosts;
import org.kvmosgi.kernel.testkit.TestKernel;

/** A kept parse is used again until a file it read, or one it found missing, changes. */
public class KmodCacheTest {
    private static final String CONF = "/usr/lib/modprobe.d/kvm.conf";

    private TestKernel k;
    private Syscalls sys;
    private final KmodCache cache = new KmodCache();
    private final AtomicInteger parses = new AtomicInteger();

    @Before
    public void boot() {
        k = TestKernel.builder(Hosts.profile("intel")).build();
        sys = k.syscalls();
    }

    private String conf() {
        return cache.get(sys, "conf", r -> {
            parses.incrementAndGet();
            return r.readOrNull(CONF);
        });
    }

    @Test
    public void aFileBelowMissingDirectoriesIsReadOnceItIsWritten() throws Exception {
        // /usr missing: the parse is kept while it stays missing
        assertNull(conf());
        assertNull(conf());
        assertEquals(1, parses.get());
        // a directory on the way appears, the file not yet: parsed again, still missing
        Files.createDirectories(sys.hostPath("/usr/lib"));
        assertNull(conf());
        assertEquals(2, parses.get());
        // created deeper down, then the file itself
        Files.createDirectories(sys.hostPath("/usr/lib/modprobe.d"));
        assertNull(conf());
        assertEquals(3, parses.get());
        // (a file written within the last two seconds is read at every use: racily clean)
        k.file(CONF, "options kvm halt_poll_ns=1\n");
        assertEquals("options kvm halt_poll_ns=1\n", conf());
    }

    @Test
    public void aPathBelowAFileIsMissingUntilTheFileBecomesADirectory() throws Exception {
        k.file("/usr", "not a directory\n");
        assertNull(conf());
        assertNull(conf());
        assertEquals(1, parses.get());
        Files.delete(sys.hostPath("/usr"));
        Files.createDirectories(sys.hostPath("/usr/lib/modprobe.d"));
        k.file(CONF, "blacklist kvm_amd\n");
        assertEquals("blacklist kvm_amd\n", conf());
    }
}
