package org.kvmosgi.kernel.printk;

import static org.junit.Assert.assertEquals;

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
}
