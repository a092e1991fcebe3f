package org.kvmosgi.console.internal;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class RunnerTest {
    @Test
    public void aProgramIsCompleteWhenNoBraceOrQuoteIsOpen() {
        assertTrue(Runner.complete("lsmod"));
        assertTrue(Runner.complete("insmod /a.ko; lsmod\n"));
        assertTrue(Runner.complete("each [a b] {\n echo $it\n}\n"));
        assertFalse(Runner.complete("each [a b] {\n"));
        assertFalse(Runner.complete("echo 'open"));
        assertFalse(Runner.complete("echo \"open"));
    }

    @Test
    public void aWrongProgramCountsAsCompleteSoThatGogoReportsIt() {
        assertTrue(Runner.complete("echo }"));
    }
}
