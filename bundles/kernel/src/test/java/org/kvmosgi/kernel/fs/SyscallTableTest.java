package org.kvmosgi.kernel.fs;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

public class SyscallTableTest {
    @Test
    public void pathsAreNormalisedAndCannotClimbOutOfRoot() {
        assertEquals("/proc/modules", SyscallTable.normalize("/proc//modules/"));
        assertEquals("/sys/module", SyscallTable.normalize("/sys/module/x/.."));
        assertEquals("/", SyscallTable.normalize("/../.."));
        assertEquals("/etc/x", SyscallTable.normalize("etc/x"));
        assertEquals("/", SyscallTable.normalize(""));
    }

    @Test
    public void pathsAlreadyNormalKeepTheirNamesAndOthersAreFolded() {
        assertEquals("/lib/modules/6.13.0/modules.dep", SyscallTable.normalize("/lib/modules/6.13.0/modules.dep"));
        assertEquals("/", SyscallTable.normalize("/"));
        assertEquals("/.hidden/...", SyscallTable.normalize("/.hidden/..."));
        assertEquals("/a/..b/.c", SyscallTable.normalize("/a/..b/.c"));
        assertEquals("/a/b", SyscallTable.normalize("/a/./b"));
        assertEquals("/b", SyscallTable.normalize("/a/../b"));
        assertEquals("/a", SyscallTable.normalize("/a/."));
        assertEquals("/", SyscallTable.normalize("/a/.."));
        assertEquals("/a/b", SyscallTable.normalize("/a//b"));
    }
}
