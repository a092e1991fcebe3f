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

    /** The stats a cache makes, counted. */
    private final AtomicInteger stats = new AtomicInteger();

    private Syscalls counting(Syscalls s) {
        return new org.kvmosgi.kernel.api.syscall.ForwardingSyscalls(s) {
            @Override
            public org.kvmosgi.kernel.api.syscall.Stat stat(String path) throws org.kvmosgi.kernel.api.ErrnoException {
                stats.incrementAndGet();
                return super.stat(path);
            }
        };
    }

    private String conf(KmodCache c, Syscalls s) {
        return c.get(s, "conf", r -> {
            parses.incrementAndGet();
            return r.readOrNull(CONF);
        });
    }

    @Test
    public void anOwnRootIsCheckedOnlyAfterItsOwnerWritesAFile() throws Exception {
        KmodCache own = KmodCache.forOwnRoot();
        Syscalls owner = own.tracking(counting(sys));
        k.file(CONF, "options kvm halt_poll_ns=1\n");
        assertEquals("options kvm halt_poll_ns=1\n", conf(own, owner));
        assertEquals(1, parses.get());
        // nothing written since: no stat at all, and the parse stands (even though racily new)
        stats.set(0);
        assertEquals("options kvm halt_poll_ns=1\n", conf(own, owner));
        assertEquals("options kvm halt_poll_ns=1\n", conf(own, owner));
        assertEquals(0, stats.get());
        assertEquals(1, parses.get());
        // the kernel's own files are no input: writing one changes nothing here
        owner.write("/sys/kernel/debug/kvmosgi/reset", "1");
        assertEquals("options kvm halt_poll_ns=1\n", conf(own, owner));
        assertEquals(0, stats.get());
        // a root file written through the owner's calls, same size within the same second: read again
        owner.write(CONF, "options kvm halt_poll_ns=2\n");
        assertEquals("options kvm halt_poll_ns=2\n", conf(own, owner));
        assertEquals(2, parses.get());
        // a new directory on the way of a missing file is a write too
        assertNull(own.get(owner, "missing", r -> r.readOrNull("/run/modprobe.d/x.conf")));
        owner.mkdir("/run");
        owner.mkdir("/run/modprobe.d");
        owner.write("/run/modprobe.d/x.conf", "blacklist kvm_amd\n");
        assertEquals("blacklist kvm_amd\n", own.get(owner, "missing", r -> r.readOrNull("/run/modprobe.d/x.conf")));
    }

    @Test
    public void anOwnRootsParseOfOldFilesIsCheckedByStatAfterAWrite() throws Exception {
        KmodCache own = KmodCache.forOwnRoot();
        Syscalls owner = own.tracking(counting(sys));
        k.file(CONF, "options kvm halt_poll_ns=1\n");
        Files.setLastModifiedTime(sys.hostPath(CONF),
                java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 3_600_000L));
        conf(own, owner);
        owner.write("/usr/lib/modprobe.d/README", "x\n");
        // checked by stat, unchanged: not parsed again, and current again until the next write
        stats.set(0);
        assertEquals("options kvm halt_poll_ns=1\n", conf(own, owner));
        assertEquals(1, parses.get());
        int checks = stats.get();
        assertEquals(true, checks > 0);
        conf(own, owner);
        assertEquals(checks, stats.get());
    }

    @Test
    public void anOwnRootsStatIsAnsweredAgainUntilTheOwnerWrites() throws Exception {
        KmodCache own = KmodCache.forOwnRoot();
        Syscalls owner = own.tracking(counting(sys));
        assertEquals(2, errno(own, owner, "/kvm_amd"));
        assertEquals(2, errno(own, owner, "/kvm_amd"));
        assertEquals(1, stats.get());
        // the kernel's files are asked every time: they change without a write of the root
        own.stat(owner, "/proc/modules");
        own.stat(owner, "/proc/modules");
        assertEquals(3, stats.get());
        owner.write("/kvm_amd", "a file named as the module\n");
        assertEquals(false, own.stat(owner, "/kvm_amd").directory());
        // the shell's cache asks the kernel every time
        KmodCache checked = new KmodCache();
        Syscalls counted = counting(sys);
        stats.set(0);
        checked.stat(counted, "/kvm_amd");
        checked.stat(counted, "/kvm_amd");
        assertEquals(2, stats.get());
    }

    private static int errno(KmodCache c, Syscalls s, String path) {
        try {
            c.stat(s, path);
            return 0;
        } catch (org.kvmosgi.kernel.api.ErrnoException e) {
            return e.errno();
        }
    }
}
