package org.kvmosgi.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.testsupport.KvmOsgi;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceReference;

/** insmod and rmmod through the system calls: state, references, exports, messages. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LoadUnloadTest extends KernelTestBase {

    @Configuration
    public Option[] config() {
        return options(KvmOsgi.platform(), KvmOsgi.host("intel"), KvmOsgi.feature("fixtures"));
    }

    @Test
    public void loadMakesTheModuleLiveWithItsExportsAsServices() throws Exception {
        insmod("mod_exporter");

        String[] m = procModule("mod_exporter");
        assertNotNull("mod_exporter in /proc/modules", m);
        assertEquals("refcount column", "0", m[2]);
        assertEquals("no holders", "-", m[3]);
        assertEquals("state column", "Live", m[4]);
        assertTrue("address column: " + m[5], m[5].matches("0x[0-9a-f]{16}"));
        assertEquals("live", initstate("mod_exporter"));
        assertEquals(0, refcnt("mod_exporter"));
        assertEquals(List.of(), holders("mod_exporter"));
        assertEquals(List.of("exporter_add", "exporter_gpl_only", "exporter_ns"), symbolOwnersOf("mod_exporter"));

        ServiceReference<?> add = symbol("exporter_add").get(0);
        assertEquals("mod_exporter", add.getProperty("kernel.symbol.owner"));
        assertEquals(Boolean.FALSE, add.getProperty("kernel.symbol.gpl"));
        assertEquals("exported by the module's own bundle", "mod_exporter", add.getBundle().getSymbolicName());
        assertEquals(Boolean.TRUE, symbol("exporter_gpl_only").get(0).getProperty("kernel.symbol.gpl"));
        assertDmesg("mod_exporter: init");

        rmmod("mod_exporter");
        assertGone("mod_exporter");
        assertDmesg("mod_exporter: exit");
    }

    @Test
    public void importerTakesAReferenceOnItsExporterAndDropsItOnUnload() throws Exception {
        insmod("mod_exporter");
        insmod("mod_importer");

        assertEquals(1, refcnt("mod_exporter"));
        assertEquals(List.of("mod_importer"), holders("mod_exporter"));
        String[] m = procModule("mod_exporter");
        assertEquals("1", m[2]);
        assertEquals("mod_importer,", m[3]);
        assertDmesg("mod_importer: init: exporter_add(2, 3) = 5");
        assertEquals("newest first", List.of("mod_importer", "mod_exporter"), loadedNames());

        assertEquals("in use by mod_importer", Errno.EWOULDBLOCK.value(), rmmodErrno("mod_exporter", Syscalls.O_NONBLOCK));
        assertEquals("live", initstate("mod_exporter"));

        rmmod("mod_importer");
        assertGone("mod_importer");
        assertEquals(0, refcnt("mod_exporter"));
        assertEquals(List.of(), holders("mod_exporter"));
        rmmod("mod_exporter");
        assertGone("mod_exporter");
    }

    @Test
    public void chainOfThreeLoadsAndUnloadsInDependencyOrder() throws Exception {
        insmod("mod_chain_a");
        insmod("mod_chain_b");
        insmod("mod_chain_c");
        assertEquals(List.of("mod_chain_b"), holders("mod_chain_a"));
        assertEquals(List.of("mod_chain_c"), holders("mod_chain_b"));
        assertEquals(List.of(), holders("mod_chain_c"));
        assertEquals(List.of("mod_chain_c", "mod_chain_b", "mod_chain_a"), loadedNames());

        assertEquals(Errno.EWOULDBLOCK.value(), rmmodErrno("mod_chain_a", Syscalls.O_NONBLOCK));
        assertEquals(Errno.EWOULDBLOCK.value(), rmmodErrno("mod_chain_b", Syscalls.O_NONBLOCK));
        rmmod("mod_chain_c");
        assertEquals(0, refcnt("mod_chain_b"));
        rmmod("mod_chain_b");
        assertEquals(0, refcnt("mod_chain_a"));
        rmmod("mod_chain_a");
        assertEquals(List.of(), loadedNames());
    }

    @Test
    public void secondLoadOfALiveModuleIsEexist() throws Exception {
        insmod("mod_exporter");
        assertEquals(Errno.EEXIST.value(), insmodErrno("mod_exporter", ""));
        assertEquals("still one copy, still live", 1, loadedNames().stream().filter("mod_exporter"::equals).count());
        assertEquals("live", initstate("mod_exporter"));
        assertEquals("its exports still registered once", 1, symbol("exporter_add").size());
        assertEquals("init ran once", 1, dmesgCount("mod_exporter: init"));
    }

    @Test
    public void unknownSymbolIsEnoentWithTheKernelsMessageAndLeavesNothing() throws Exception {
        assertEquals(Errno.ENOENT.value(), insmodErrno("mod_importer", ""));
        assertDmesg("mod_importer: Unknown symbol exporter_add (err -2)");
        assertNoDmesg("mod_importer: init: exporter_add(2, 3) = 5");
        assertGone("mod_importer");
    }

    @Test
    public void removingAModuleThatIsNotLoadedIsEnoent() {
        assertEquals(Errno.ENOENT.value(), rmmodErrno("mod_exporter", Syscalls.O_NONBLOCK));
        assertEquals(Errno.ENOENT.value(), rmmodErrno("", Syscalls.O_NONBLOCK));
    }

    @Test
    public void loadingAFileThatDoesNotExistIsEnoent() throws Exception {
        try {
            sys.finitModule("/lib/modules/" + sys.kernelRelease() + "/extra/no-such-module.ko", "", 0);
            throw new AssertionError("finit_module of a missing file succeeded");
        } catch (ErrnoException e) {
            assertEquals(Errno.ENOENT.value(), e.errno());
        }
        assertEquals(List.of(), loadedNames());
    }

    @Test
    public void positiveInitValueWarnsAndKeepsTheModule() throws Exception {
        insmod("mod_positive");
        assertEquals("live", initstate("mod_positive"));
        List<String> log = dmesg();
        assertTrue(String.join("\n", log), log.contains(
                "do_init_module: 'mod_positive'->init suspiciously returned 1, it should follow 0/-E convention"));
        assertTrue(String.join("\n", log), log.contains("do_init_module: loading module anyway..."));
        rmmod("mod_positive");
        assertGone("mod_positive");
    }

    @Test
    public void dashAndUnderscoreNameTheSameModule() throws Exception {
        insmod("mod_exporter");
        assertEquals("live", sys.read("/sys/module/mod_exporter/initstate").trim());
        rmmod("mod-exporter");
        assertGone("mod_exporter");
    }

    @Test
    public void dmesgLinesCarryTheKernelTimestampAndDashCClears() throws Exception {
        insmod("mod_exporter");
        List<String> raw = sys.syslog(true);
        assertTrue("dmesg has the load's line: " + raw, raw.stream().anyMatch(l -> l.endsWith("] mod_exporter: init")));
        for (String l : raw) {
            assertTrue("[%5lu.%06lu] prefix: " + l, l.matches("\\[ {0,4}\\d{1,5}\\.\\d{6}\\] .*"));
        }
        assertArrayEquals("dmesg -c cleared what it read", new String[0], sys.syslog(false).toArray(new String[0]));
        rmmod("mod_exporter");
        assertEquals(List.of("mod_exporter: exit"), dmesg());
    }
}
