package org.kvmosgi.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.kvmosgi.testsupport.kit.KernelAssert.assertDmesgInOrder;
import static org.kvmosgi.testsupport.kit.KernelAssert.assertNoDmesg;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.testsupport.KvmOsgi;
import org.kvmosgi.testsupport.kit.Kernel;
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
        kernel.insmod("mod_exporter");

        Kernel.Module m = kernel.module("mod_exporter");
        assertNotNull("mod_exporter in /proc/modules", m);
        assertEquals("refcount column", 0, m.refcnt());
        assertEquals("no holders", "-", m.usedBy());
        assertEquals("state column", "Live", m.state());
        assertTrue("address column: " + m.address(), m.address().matches("0x[0-9a-f]{16}"));
        assertEquals("live", kernel.initstate("mod_exporter"));
        assertEquals(0, kernel.refcnt("mod_exporter"));
        assertEquals(List.of(), kernel.holders("mod_exporter"));
        assertEquals(List.of("exporter_add", "exporter_gpl_only", "exporter_ns"), symbolOwnersOf("mod_exporter"));

        ServiceReference<?> add = symbol("exporter_add").get(0);
        assertEquals("mod_exporter", add.getProperty("kernel.symbol.owner"));
        assertEquals(Boolean.FALSE, add.getProperty("kernel.symbol.gpl"));
        assertEquals("exported by the module's own bundle", "mod_exporter", add.getBundle().getSymbolicName());
        assertEquals(Boolean.TRUE, symbol("exporter_gpl_only").get(0).getProperty("kernel.symbol.gpl"));
        assertDmesgInOrder(kernel, "mod_exporter: init");

        kernel.rmmod("mod_exporter");
        assertGone("mod_exporter");
        assertDmesgInOrder(kernel, "mod_exporter: exit");
    }

    @Test
    public void importerTakesAReferenceOnItsExporterAndDropsItOnUnload() throws Exception {
        kernel.insmod("mod_exporter");
        kernel.insmod("mod_importer");

        assertEquals(1, kernel.refcnt("mod_exporter"));
        assertEquals(List.of("mod_importer"), kernel.holders("mod_exporter"));
        Kernel.Module m = kernel.module("mod_exporter");
        assertEquals(1, m.refcnt());
        assertEquals("mod_importer,", m.usedBy());
        assertDmesgInOrder(kernel, "mod_importer: init: exporter_add(2, 3) = 5");
        assertEquals("newest first", List.of("mod_importer", "mod_exporter"), kernel.loaded());

        assertEquals("in use by mod_importer", Errno.EWOULDBLOCK.value(), kernel.deleteModule("mod_exporter", Syscalls.O_NONBLOCK));
        assertEquals("live", kernel.initstate("mod_exporter"));

        kernel.rmmod("mod_importer");
        assertGone("mod_importer");
        assertEquals(0, kernel.refcnt("mod_exporter"));
        assertEquals(List.of(), kernel.holders("mod_exporter"));
        kernel.rmmod("mod_exporter");
        assertGone("mod_exporter");
    }

    @Test
    public void chainOfThreeLoadsAndUnloadsInDependencyOrder() throws Exception {
        kernel.insmod("mod_chain_a");
        kernel.insmod("mod_chain_b");
        kernel.insmod("mod_chain_c");
        assertEquals(List.of("mod_chain_b"), kernel.holders("mod_chain_a"));
        assertEquals(List.of("mod_chain_c"), kernel.holders("mod_chain_b"));
        assertEquals(List.of(), kernel.holders("mod_chain_c"));
        assertEquals(List.of("mod_chain_c", "mod_chain_b", "mod_chain_a"), kernel.loaded());

        assertEquals(Errno.EWOULDBLOCK.value(), kernel.deleteModule("mod_chain_a", Syscalls.O_NONBLOCK));
        assertEquals(Errno.EWOULDBLOCK.value(), kernel.deleteModule("mod_chain_b", Syscalls.O_NONBLOCK));
        kernel.rmmod("mod_chain_c");
        assertEquals(0, kernel.refcnt("mod_chain_b"));
        kernel.rmmod("mod_chain_b");
        assertEquals(0, kernel.refcnt("mod_chain_a"));
        kernel.rmmod("mod_chain_a");
        assertEquals(List.of(), kernel.loaded());
    }

    @Test
    public void secondLoadOfALiveModuleIsEexist() throws Exception {
        kernel.insmod("mod_exporter");
        assertEquals(Errno.EEXIST.value(), kernel.finitModule("mod_exporter", ""));
        assertEquals("still one copy, still live", 1, kernel.loaded().stream().filter("mod_exporter"::equals).count());
        assertEquals("live", kernel.initstate("mod_exporter"));
        assertEquals("its exports still registered once", 1, symbol("exporter_add").size());
        assertEquals("init ran once", 1, dmesgCount("mod_exporter: init"));
    }

    @Test
    public void unknownSymbolIsEnoentWithTheKernelsMessageAndLeavesNothing() throws Exception {
        assertEquals(Errno.ENOENT.value(), kernel.finitModule("mod_importer", ""));
        assertDmesgInOrder(kernel, "mod_importer: Unknown symbol exporter_add (err -2)");
        assertNoDmesg(kernel, "mod_importer: init: exporter_add(2, 3) = 5");
        assertGone("mod_importer");
    }

    @Test
    public void removingAModuleThatIsNotLoadedIsEnoent() {
        assertEquals(Errno.ENOENT.value(), kernel.deleteModule("mod_exporter", Syscalls.O_NONBLOCK));
        assertEquals(Errno.ENOENT.value(), kernel.deleteModule("", Syscalls.O_NONBLOCK));
    }

    @Test
    public void loadingAFileThatDoesNotExistIsEnoent() throws Exception {
        try {
            sys.finitModule("/lib/modules/" + sys.kernelRelease() + "/extra/no-such-module.ko", "", 0);
            throw new AssertionError("finit_module of a missing file succeeded");
        } catch (ErrnoException e) {
            assertEquals(Errno.ENOENT.value(), e.errno());
        }
        assertEquals(List.of(), kernel.loaded());
    }

    @Test
    public void positiveInitValueWarnsAndKeepsTheModule() throws Exception {
        kernel.insmod("mod_positive");
        assertEquals("live", kernel.initstate("mod_positive"));
        List<String> log = kernel.dmesg();
        assertTrue(String.join("\n", log), log.contains(
                "do_init_module: 'mod_positive'->init suspiciously returned 1, it should follow 0/-E convention"));
        assertTrue(String.join("\n", log), log.contains("do_init_module: loading module anyway..."));
        kernel.rmmod("mod_positive");
        assertGone("mod_positive");
    }

    @Test
    public void dashAndUnderscoreNameTheSameModule() throws Exception {
        kernel.insmod("mod_exporter");
        assertEquals("live", sys.read("/sys/module/mod_exporter/initstate").trim());
        kernel.rmmod("mod-exporter");
        assertGone("mod_exporter");
    }

    @Test
    public void dmesgLinesCarryTheKernelTimestampAndDashCClears() throws Exception {
        kernel.insmod("mod_exporter");
        List<String> raw = sys.syslog(true);
        assertTrue("dmesg has the load's line: " + raw, raw.stream().anyMatch(l -> l.endsWith("] mod_exporter: init")));
        for (String l : raw) {
            assertTrue("[%5lu.%06lu] prefix: " + l, l.matches("\\[ {0,4}\\d{1,5}\\.\\d{6}\\] .*"));
        }
        assertArrayEquals("dmesg -c cleared what it read", new String[0], sys.syslog(false).toArray(new String[0]));
        kernel.rmmod("mod_exporter");
        assertEquals(List.of("mod_exporter: exit"), kernel.dmesg());
    }
}
