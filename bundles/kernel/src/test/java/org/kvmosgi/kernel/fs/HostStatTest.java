package org.kvmosgi.kernel.fs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.syscall.Stat;

/** The remembered missing paths pick which call comes first, never the answer. */
public class HostStatTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final HostStat host = new HostStat();

    @Test
    public void aPathFoundMissingIsSeenOnceItExistsAndMissingAgainOnceGone() throws Exception {
        Path conf = tmp.getRoot().toPath().resolve("modprobe.d");
        assertMissing(conf);
        assertMissing(conf);
        Files.createDirectory(conf);
        assertTrue(host.stat(conf.toString(), conf).directory());
        Files.delete(conf);
        assertMissing(conf);
        Files.writeString(conf, "blacklist kvm_amd\n");
        Stat file = host.stat(conf.toString(), conf);
        assertFalse(file.directory());
        assertEquals(18, file.size());
    }

    @Test
    public void aFileKeepsItsStatUntilItChanges() throws Exception {
        Path dep = tmp.newFile("modules.dep").toPath();
        Stat before = host.stat(dep.toString(), dep);
        assertEquals(before, host.stat(dep.toString(), dep));
        Files.writeString(dep, "kernel/arch/x86/kvm/kvm.ko:\n");
        assertNotEquals(before, host.stat(dep.toString(), dep));
        assertEquals(28, host.stat(dep.toString(), dep).size());
    }

    @Test
    public void aPathBelowAFileIsMissing() throws Exception {
        Path file = tmp.newFile("cmdline").toPath();
        assertMissing(file.resolve("x"));
        assertMissing(file.resolve("x"));
    }

    private void assertMissing(Path p) {
        try {
            host.stat(p.toString(), p);
            fail(p + " is not there");
        } catch (ErrnoException e) {
            assertEquals(Errno.ENOENT.value(), e.errno());
        }
    }
}
