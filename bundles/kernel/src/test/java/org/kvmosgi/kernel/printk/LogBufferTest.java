package org.kvmosgi.kernel.printk;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;

public class LogBufferTest {
    @Test
    public void formatsTimestampsAsDmesgDoes() {
        LogBuffer b = new LogBuffer(0, 4);
        b.append(6, "kvm: hello", 1_234_567_000L);
        assertEquals("[    1.234567] kvm: hello", b.read(false).get(0).format());
    }

    @Test
    public void keepsTheNewestWhenFullAndClearsWhatWasRead() {
        LogBuffer b = new LogBuffer(0, 3);
        for (int i = 0; i < 5; i++) {
            b.append(6, "m" + i, i);
        }
        assertEquals(List.of("m2", "m3", "m4"), b.read(true).stream().map(LogBuffer.Record::text).toList());
        assertEquals(List.of(), b.read(false));
        b.append(3, "after", 9);
        assertEquals(List.of("after"), b.read(false).stream().map(LogBuffer.Record::text).toList());
    }

    @Test
    public void aMultiLineMessageIsOneRecordPerLine() {
        LogBuffer b = new LogBuffer(0, 8);
        b.append(4, "do_init_module: one\ndo_init_module: two\n", 0);
        assertEquals(2, b.read(false).size());
    }

    @Test
    public void aTruncationDropsTheRecordsPrintedSinceAndRefusesWhenTheRingWrappedPastOneStillReadable() {
        LogBuffer b = new LogBuffer(0, 4);
        b.append(6, "a", 1);
        b.append(6, "b", 2);
        long seq = b.nextSeq();
        long clear = b.clearSeq();
        b.append(6, "c", 3);
        b.read(true);
        assertTrue(b.truncate(seq, clear));
        assertEquals(List.of("a", "b"), b.read(false).stream().map(LogBuffer.Record::text).toList());
        b.append(6, "d", 4);
        assertEquals(List.of("[    0.000000] a", "[    0.000000] b", "[    0.000000] d"), b.lines(false));
        // three more records overwrite "a", which was readable at seq
        for (int i = 0; i < 3; i++) {
            b.append(6, "e" + i, 5);
        }
        assertFalse(b.truncate(seq, clear));
        assertEquals(List.of("d", "e0", "e1", "e2"), b.read(false).stream().map(LogBuffer.Record::text).toList());
        assertFalse("a sequence number not reached yet", b.truncate(b.nextSeq() + 1, clear));
    }
}
