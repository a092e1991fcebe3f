package org.kvmosgi.kernel.param;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.modinfo.ParamType;
import org.junit.Test;

public class ParamValuesTest {

    private static ParamValues of(ParamType type, String dflt) {
        return new ParamValues(List.of(new ParamSpec("p", type, dflt, 0644, "")));
    }

    private static int set(ParamValues v, String value) {
        return v.set(v.find("p"), value);
    }

    private static String get(ParamValues v) {
        return v.get(v.find("p"));
    }

    @Test
    public void boolsReadAsYAndNAndAcceptKstrtoboolSpellings() {
        ParamValues v = of(ParamType.BOOL, "1");
        assertEquals("Y", get(v));
        for (String no : List.of("n", "N", "0", "off", "OFF")) {
            assertEquals(0, set(v, no));
            assertEquals("N", get(v));
        }
        for (String yes : List.of("y", "Yes", "1", "on")) {
            assertEquals(0, set(v, yes));
            assertEquals("Y", get(v));
        }
        assertEquals(Errno.EINVAL.neg(), set(v, "maybe"));
        assertEquals("a failed set keeps the old value", "Y", get(v));
        assertEquals("a bare name sets a bool", 0, set(v, null));
    }

    @Test
    public void invboolShowsTheInverseAndTheModuleSeesTheInverse() {
        ParamValues v = of(ParamType.INVBOOL, "N");
        assertEquals("N", get(v));
        assertTrue(v.bool("p"));
        assertEquals(0, set(v, "Y"));
        assertFalse(v.bool("p"));
    }

    @Test
    public void integersTakeBasePrefixesAndRefuseOutOfRange() {
        ParamValues v = of(ParamType.INT, "0");
        assertEquals(0, set(v, "0x10"));
        assertEquals("16", get(v));
        assertEquals(0, set(v, "010"));
        assertEquals("8", get(v));
        assertEquals(0, set(v, "-5"));
        assertEquals(-5, v.integer("p"));
        assertEquals(Errno.ERANGE.neg(), set(v, "2147483648"));
        assertEquals(Errno.EINVAL.neg(), set(v, "12abc"));
        assertEquals(Errno.EINVAL.neg(), set(v, ""));
        assertEquals(Errno.EINVAL.neg(), set(v, null));
    }

    @Test
    public void unsignedTypesRefuseNegativesAndBytesStopAt255() {
        assertEquals(Errno.EINVAL.neg(), set(of(ParamType.UINT, "0"), "-1"));
        ParamValues b = of(ParamType.BYTE, "0");
        assertEquals(0, set(b, "255"));
        assertEquals(Errno.ERANGE.neg(), set(b, "256"));
        ParamValues us = of(ParamType.USHORT, "0");
        assertEquals(Errno.ERANGE.neg(), set(us, "65536"));
        ParamValues s = of(ParamType.SHORT, "0");
        assertEquals(0, set(s, "-32768"));
    }

    @Test
    public void hexintIsParsedWithBasePrefixesAndShownAsPercentHash08x() {
        ParamValues v = of(ParamType.HEXINT, "0");
        assertEquals("C's %#08x prints zero without 0x", "00000000", get(v));
        assertEquals(0, set(v, "0xbeef"));
        assertEquals("0x00beef", get(v));
        assertEquals(0, set(v, "32"));
        assertEquals("base 0: 32 is decimal", "0x000020", get(v));
        assertEquals(0, set(v, "0xdeadbeef"));
        assertEquals("0xdeadbeef", get(v));
        assertEquals(Errno.EINVAL.neg(), set(v, "ff"));
    }

    @Test
    public void charpHasALengthLimit() {
        ParamValues v = of(ParamType.CHARP, "hello");
        assertEquals("hello", get(v));
        assertEquals(Errno.ENOSPC.neg(), set(v, "x".repeat(ParamValues.CHARP_MAX + 1)));
        assertEquals(0, set(v, "a b"));
        assertEquals("a b", v.string("p"));
    }

    @Test
    public void namesMatchWithDashOrUnderscore() {
        ParamValues v = new ParamValues(List.of(new ParamSpec("halt_poll_ns", ParamType.UINT, "200000", 0644, "")));
        assertEquals("halt_poll_ns", v.find("halt-poll-ns").name());
    }

    @Test
    public void aParameterWithItsOwnTableTakesItsEntriesOnly() {
        // kvm_intel's vmentry_l1d_flush: vmentry_l1d_flush_parse() finds the value in its table or says -EINVAL
        ParamSpec spec = new ParamSpec("vmentry_l1d_flush", ParamType.CHARP, "cond", 0644, "",
                List.of("auto", "never", "cond", "always"));
        ParamValues v = new ParamValues(List.of(spec));
        assertEquals(Errno.EINVAL.neg(), v.set(spec, "bogus"));
        assertEquals(Errno.EINVAL.neg(), v.set(spec, "Never"));
        assertEquals(Errno.EINVAL.neg(), v.set(spec, "EPT disabled"));
        assertEquals(Errno.EINVAL.neg(), v.set(spec, null));
        assertEquals("cond", v.string("vmentry_l1d_flush"));
        assertEquals("sysfs_streq: echo's newline does not count", 0, v.set(spec, "never\n"));
        assertEquals("never", v.string("vmentry_l1d_flush"));
    }

    @Test(expected = IllegalArgumentException.class)
    public void aDefaultThatDoesNotParseIsRefused() {
        of(ParamType.INT, "twelve");
    }
}
