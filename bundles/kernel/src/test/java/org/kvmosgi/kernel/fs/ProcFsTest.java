package org.kvmosgi.kernel.fs;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

/** /proc/modules' address column, written without a Formatter, is m_show()'s {@code 0x%016lx}. */
public class ProcFsTest {
    @Test
    public void theAddressIsSixteenLowerCaseHexDigits() {
        long[] addresses = {0L, 1L, 0xabcdefL, 0xffffffffc0a00000L, Long.MIN_VALUE, Long.MAX_VALUE, -1L,
                0x0123456789abcdefL};
        for (long a : addresses) {
            assertEquals(String.format(" 0x%016x", a), ProcFs.appendAddress(new StringBuilder(" 0x"), a).toString());
        }
    }
}
