package org.kvmosgi.console.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.util.List;
import org.junit.Test;

public class ProgramTextTest {
    @Test
    public void topLevelSemicolonsAndNewlinesSeparateCommands() {
        assertEquals(List.of("rmmod kvm", "lsmod"), ProgramText.commands("rmmod kvm; lsmod"));
        assertEquals(List.of("a", "b | c", "d && e"), ProgramText.commands("a\nb | c; d && e\n"));
        assertEquals("a brace keeps its semicolons", List.of("each [1 2] { echo a; echo b }"),
                ProgramText.commands("each [1 2] { echo a; echo b }"));
        assertEquals(List.of(), ProgramText.commands(""));
    }

    @Test
    public void redirectionsToFilesAreFoundAnywhere() {
        assertEquals("/sys/module/kvm/parameters/x", ProgramText.fileRedirection("echo 0 > /sys/module/kvm/parameters/x"));
        assertEquals("/tmp/z", ProgramText.fileRedirection("lsmod; echo a >> /tmp/z"));
        assertEquals("/etc/passwd", ProgramText.fileRedirection("cat < /etc/passwd"));
        assertEquals("/tmp/y", ProgramText.fileRedirection("each [1 2] { echo $it > /tmp/y }"));
        assertEquals("/tmp/q", ProgramText.fileRedirection("dmesg | grep kvm &> /tmp/q"));
    }

    @Test
    public void descriptorDuplicationIsNoFile() {
        assertNull(ProgramText.fileRedirection("dmesg 2>&1 | grep kvm"));
        assertNull(ProgramText.fileRedirection("echo 7 | tee /sys/module/m/parameters/p"));
    }
}
