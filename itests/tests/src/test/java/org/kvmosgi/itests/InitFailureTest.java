package org.kvmosgi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.kvmosgi.testsupport.kit.KernelAssert.assertDmesgInOrder;
import static org.kvmosgi.testsupport.kit.KernelAssert.assertNoLeakReported;
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
import org.osgi.framework.BundleException;

/**
 * An init that fails after exporting, importing, allocating and registering a device:
 * its errno comes back, and nothing of the module remains anywhere.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class InitFailureTest extends KernelTestBase {

    @Configuration
    public Option[] config() {
        return options(KvmOsgi.platform(), KvmOsgi.host("intel"), KvmOsgi.feature("fixtures"),
                KvmOsgi.module("mod_initfail"));
    }

    private void assertNothingOfInitfailRemains() throws Exception {
        assertGone("mod_initfail");
        assertEquals("initfail_sym service", List.of(), symbol("initfail_sym"));
        assertEquals("reference on mod_exporter given back", 0, kernel.refcnt("mod_exporter"));
        assertEquals(List.of(), kernel.holders("mod_exporter"));
        assertFalse("/dev/mod_initfail", sys.list("/dev").contains("mod_initfail"));
        assertNoLeakReported(kernel); // the module freed what it allocated
    }

    @Test
    public void initErrorIsReturnedAndEverythingIsUnwound() throws Exception {
        kernel.insmod("mod_exporter");
        assertEquals(Errno.ENOMEM.value(), kernel.finitModule("mod_initfail", ""));
        assertDmesgInOrder(kernel, "mod_initfail: init");
        assertDmesgInOrder(kernel, "mod_initfail: failing with -12");
        assertNothingOfInitfailRemains();
        assertEquals("mod_exporter is untouched", "live", kernel.initstate("mod_exporter"));
    }

    @Test
    public void theErrnoIsWhateverInitReturned() throws Exception {
        kernel.insmod("mod_exporter");
        assertEquals(Errno.EIO.value(), kernel.finitModule("mod_initfail", "err=-5"));
        assertNothingOfInitfailRemains();
        // and it can be loaded again afterwards: nothing of the failed attempt is in the way
        assertEquals(Errno.ENODEV.value(), kernel.finitModule("mod_initfail", "err=-19"));
        assertNothingOfInitfailRemains();
    }

    @Test
    public void withoutTheErrorTheSameModuleLoadsAndHoldsItsResources() throws Exception {
        kernel.insmod("mod_exporter");
        kernel.insmod("mod_initfail", "err=0");
        assertEquals("live", kernel.initstate("mod_initfail"));
        assertEquals(List.of("initfail_sym"), symbolOwnersOf("mod_initfail"));
        assertTrue(sys.list("/dev").contains("mod_initfail"));
        assertEquals(List.of("mod_initfail"), kernel.holders("mod_exporter"));
        kernel.rmmod("mod_initfail");
        assertNothingOfInitfailRemains();
    }

    @Test
    public void failingBundleStartThrowsBundleExceptionWithTheErrno() throws Exception {
        kernel.insmod("mod_exporter");
        Bundle b = moduleBundle("mod_initfail");
        assertEquals("provisioned with noStart()", Bundle.RESOLVED, resolvedOrInstalled(b));
        try {
            b.start();
            fail("start of a module whose init fails succeeded");
        } catch (BundleException e) {
            assertEquals(Errno.ENOMEM.value(), startErrno(e));
        }
        assertTrue("bundle not active after the failed start", b.getState() != Bundle.ACTIVE);
        assertNull("no service of the failed start stays registered", b.getRegisteredServices());
        assertNothingOfInitfailRemains();
    }

    private Bundle moduleBundle(String name) {
        for (Bundle b : context.getBundles()) {
            if (name.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + name);
    }

    private static int resolvedOrInstalled(Bundle b) {
        return b.getState() == Bundle.INSTALLED ? Bundle.RESOLVED : b.getState();
    }
}
