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
}
