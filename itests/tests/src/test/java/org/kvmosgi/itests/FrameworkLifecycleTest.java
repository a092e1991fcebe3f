package org.kvmosgi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.kvmosgi.testsupport.kit.KernelAssert.assertDmesgInOrder;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.testsupport.KvmOsgi;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * Load is bundle start and unload is bundle stop: felix:start/stop and insmod/rmmod are
 * one path and never disagree. A raw stop of a module others use cannot be refused, so
 * the kernel unloads its users first and says so in dmesg.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FrameworkLifecycleTest extends KernelTestBase {

    @Configuration
    public Option[] config() {
        return options(KvmOsgi.platform(), KvmOsgi.host("intel"), KvmOsgi.feature("fixtures"));
    }

    /** The bundle of a module file, installed the way finit_module would find it (location = file URI). */
    private Bundle install(String module) throws Exception {
        return context.installBundle(sys.hostPath(kernel.ko(module)).toUri().toString());
    }

    private Bundle bundleOf(String module) {
        for (Bundle b : context.getBundles()) {
            if (module.equals(b.getSymbolicName()) && b.getState() != Bundle.UNINSTALLED) {
                return b;
            }
        }
        return null;
    }

    @Test
    public void bundleStartIsInsmodAndBundleStopIsRmmod() throws Exception {
        Bundle b = install("mod_exporter");
        b.start();
        assertEquals("live", kernel.initstate("mod_exporter"));
        assertEquals(List.of("exporter_add", "exporter_gpl_only", "exporter_ns"), symbolOwnersOf("mod_exporter"));
        assertDmesgInOrder(kernel, "mod_exporter: init");
        assertEquals("insmod of the same file sees it loaded", Errno.EEXIST.value(), kernel.finitModule("mod_exporter", ""));

        b.stop();
        assertGone("mod_exporter");
        assertDmesgInOrder(kernel, "mod_exporter: exit");
        b.uninstall();
    }

    @Test
    public void insmodStartsTheModulesBundleAndRmmodStopsIt() throws Exception {
        kernel.insmod("mod_exporter");
        Bundle b = bundleOf("mod_exporter");
        assertNotNull("the loaded module is a bundle", b);
        assertEquals(Bundle.ACTIVE, b.getState());
        assertTrue("its exports are its services", b.getRegisteredServices().length >= 3);
        kernel.rmmod("mod_exporter");
        Bundle after = bundleOf("mod_exporter");
        assertTrue("after rmmod the bundle is not active", after == null || after.getState() != Bundle.ACTIVE);
    }

    @Test
    public void rawStopOfAUsedModuleUnloadsItsHoldersFirstAndSaysSo() throws Exception {
        kernel.insmod("mod_exporter");
        kernel.insmod("mod_importer");
        bundleOf("mod_exporter").stop();

        assertGone("mod_importer");
        assertGone("mod_exporter");
        List<String> log = kernel.dmesg();
        assertTrue(String.join("\n", log),
                log.contains("mod_exporter: framework stop of a module in use: unloading mod_importer first"));
        assertTrue("the holder went first:\n" + String.join("\n", log),
                log.indexOf("mod_importer: exit") >= 0
                        && log.indexOf("mod_importer: exit") < log.indexOf("mod_exporter: exit"));
    }

    @Test
    public void rawStopOfTheBottomOfAChainUnloadsTheChainTopDown() throws Exception {
        kernel.insmod("mod_chain_a");
        kernel.insmod("mod_chain_b");
        kernel.insmod("mod_chain_c");
        bundleOf("mod_chain_a").stop();
        assertEquals(List.of(), kernel.loaded());
        List<String> log = kernel.dmesg();
        int c = log.indexOf("mod_chain_c: exit");
        int b = log.indexOf("mod_chain_b: exit");
        int a = log.indexOf("mod_chain_a: exit");
        assertTrue("c, b, a:\n" + String.join("\n", log), c >= 0 && c < b && b < a);
    }

    @Test
    public void failedBundleStartLeavesNothingAndRmmodDoesNotSeeIt() throws Exception {
        Bundle b = install("mod_importer");
        try {
            b.start();
            throw new AssertionError("start without its exporter succeeded");
        } catch (org.osgi.framework.BundleException e) {
            assertDmesgInOrder(kernel, "mod_importer: Unknown symbol exporter_add (err -2)");
        }
        assertNotEquals(Bundle.ACTIVE, b.getState());
        assertGone("mod_importer");
        assertEquals(Errno.ENOENT.value(), kernel.deleteModule("mod_importer", 0));
        b.uninstall();
    }

    /** The only test of this class that forces an unload: the taint bit must be clear before it. */
    @Test
    public void rawStopOfAPermanentModuleIsAForcedUnloadAndTaints() throws Exception {
        assertEquals(0, kernel.tainted() & UnloadTest.TAINT_FORCED_RMMOD);
        kernel.insmod("mod_permanent");
        bundleOf("mod_permanent").stop();
        assertGone("mod_permanent");
        assertDmesgInOrder(kernel, "mod_permanent: framework stop forces the unload (no exit function)");
        assertNotEquals(0, kernel.tainted() & UnloadTest.TAINT_FORCED_RMMOD);
    }
}
