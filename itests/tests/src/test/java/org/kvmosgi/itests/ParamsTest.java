package org.kvmosgi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.kvmosgi.testsupport.kit.KernelAssert.assertDmesgInOrder;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.testsupport.KvmOsgi;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** Module parameters: parsed while COMING, shown in sysfs with their permission. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ParamsTest extends KernelTestBase {

    @Configuration
    public Option[] config() {
        return options(KvmOsgi.platform(), KvmOsgi.host("intel"), KvmOsgi.feature("fixtures"));
    }

    @Test
    public void valuesOfEveryTypeReachInitAndSysfs() throws Exception {
        kernel.insmod("mod_params", "p_bool=n p_invbool=y p_charp=\"two words\" p_int=-42 p_uint=4000000000 p_long=-9000000000"
                + " p_ulong=9000000000 p_short=-300 p_ushort=65535 p_byte=255 p_hexint=0xbeef p_hidden=7");
        // the C variable of an invbool holds the inverse of what was written
        assertDmesgInOrder(kernel, "mod_params: init: bool=false invbool=false charp=two words int=-42 uint=4000000000 long=-9000000000"
                + " ulong=9000000000 short=-300 ushort=65535 byte=255 hexint=48879 hidden=7");
        assertEquals("N", kernel.param("mod_params", "p_bool"));
        assertEquals("invbool reads back what was written", "Y", kernel.param("mod_params", "p_invbool"));
        assertEquals("two words", kernel.param("mod_params", "p_charp"));
        assertEquals("-42", kernel.param("mod_params", "p_int"));
        assertEquals("4000000000", kernel.param("mod_params", "p_uint"));
        assertEquals("-9000000000", kernel.param("mod_params", "p_long"));
        assertEquals("9000000000", kernel.param("mod_params", "p_ulong"));
        assertEquals("-300", kernel.param("mod_params", "p_short"));
        assertEquals("65535", kernel.param("mod_params", "p_ushort"));
        assertEquals("255", kernel.param("mod_params", "p_byte"));
        kernel.rmmod("mod_params");
    }

    @Test
    public void defaultsShowInSysfsAndPermissionZeroHidesAParameter() throws Exception {
        kernel.insmod("mod_params");
        assertEquals(List.of("p_bool", "p_byte", "p_charp", "p_hexint", "p_int", "p_invbool", "p_long", "p_short",
                "p_uint", "p_ulong", "p_ushort"), sys.list("/sys/module/mod_params/parameters"));
        assertEquals("Y", kernel.param("mod_params", "p_bool"));
        assertEquals("N", kernel.param("mod_params", "p_invbool"));
        assertEquals("hello", kernel.param("mod_params", "p_charp"));
        assertEquals("-1", kernel.param("mod_params", "p_int"));
        try {
            sys.read("/sys/module/mod_params/parameters/p_hidden");
            fail("a 0 permission parameter has no sysfs file");
        } catch (ErrnoException e) {
            assertEquals(Errno.ENOENT.value(), e.errno());
        }
        kernel.rmmod("mod_params");
    }

    @Test
    public void readOnlyParameterCannotBeWrittenAfterLoadAndWritableOneCan() throws Exception {
        kernel.insmod("mod_params");
        try {
            sys.write("/sys/module/mod_params/parameters/p_int", "5");
            fail("0444 parameter written");
        } catch (ErrnoException e) {
            assertEquals(Errno.EACCES.value(), e.errno());
        }
        assertEquals("-1", kernel.param("mod_params", "p_int"));

        sys.write("/sys/module/mod_params/parameters/p_uint", "17\n");
        assertEquals("17", kernel.param("mod_params", "p_uint"));
        sys.write("/sys/module/mod_params/parameters/p_bool", "0");
        assertEquals("N", kernel.param("mod_params", "p_bool"));
        sys.write("/sys/module/mod_params/parameters/p_bool", "on");
        assertEquals("Y", kernel.param("mod_params", "p_bool"));
        sys.write("/sys/module/mod_params/parameters/p_charp", "bar");
        assertEquals("bar", kernel.param("mod_params", "p_charp"));

        try {
            sys.write("/sys/module/mod_params/parameters/p_short", "abc");
            fail("bad value written");
        } catch (ErrnoException e) {
            assertEquals(Errno.EINVAL.value(), e.errno());
        }
        assertEquals("-3", kernel.param("mod_params", "p_short"));
        kernel.rmmod("mod_params");
    }

    /** param_get_hexint is sprintf("%#08x"): the "0x" counts in the width of 8; param_set_hexint is kstrtouint(val, 0). */
    @Test
    public void hexintReadsAndParsesAsTheKernelDoes() throws Exception {
        kernel.insmod("mod_params", "p_hexint=0xbeef");
        assertEquals("0x00beef", kernel.param("mod_params", "p_hexint"));
        sys.write("/sys/module/mod_params/parameters/p_hexint", "0x20");
        assertEquals("0x000020", kernel.param("mod_params", "p_hexint"));
        sys.write("/sys/module/mod_params/parameters/p_hexint", "32");
        assertEquals("base 0: 32 is decimal", "0x000020", kernel.param("mod_params", "p_hexint"));
        kernel.rmmod("mod_params");
        kernel.insmod("mod_params");
        assertEquals("the default 0x10", "0x000010", kernel.param("mod_params", "p_hexint"));
        kernel.rmmod("mod_params");
    }

    @Test
    public void unknownParameterIsWarnedAndIgnored() throws Exception {
        kernel.insmod("mod_params", "bogus=1 p_int=3");
        assertDmesgInOrder(kernel, "mod_params: unknown parameter 'bogus' ignored");
        assertEquals("live", kernel.initstate("mod_params"));
        assertEquals("3", kernel.param("mod_params", "p_int"));
        kernel.rmmod("mod_params");
    }

    @Test
    public void badValueIsEinvalWithTheKernelsMessageAfterParsingTheRest() throws Exception {
        assertEquals(Errno.EINVAL.value(), kernel.finitModule("mod_params", "p_int=abc bogus p_short=xyz p_bool=1"));
        List<String> log = kernel.dmesg();
        assertTrue(String.join("\n", log), log.contains("mod_params: `abc' invalid for parameter `p_int'"));
        assertTrue("parsing goes on after a bad value:\n" + String.join("\n", log),
                log.contains("mod_params: `xyz' invalid for parameter `p_short'"));
        assertTrue(String.join("\n", log), log.contains("mod_params: unknown parameter 'bogus' ignored"));
        assertTrue("init must not run", log.stream().noneMatch(l -> l.startsWith("mod_params: init")));
        assertGone("mod_params");
    }

    @Test
    public void outOfRangeValueIsRefused() throws Exception {
        assertEquals(Errno.ERANGE.value(), kernel.finitModule("mod_params", "p_byte=256"));
        assertDmesgInOrder(kernel, "mod_params: `256' invalid for parameter `p_byte'");
        assertGone("mod_params");
    }
}
