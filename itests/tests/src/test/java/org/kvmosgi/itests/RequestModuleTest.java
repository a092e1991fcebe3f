package org.kvmosgi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.ops4j.pax.exam.CoreOptions.options;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.kvmosgi.testsupport.KvmOsgi;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * request_module from a module's init (mod_requester, like lib/test_kmod.c): modprobe
 * runs, concurrent requests for one name are coalesced, 58 at once (past the limit of
 * 50) all succeed with one load, as kmod.sh's tests expect.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RequestModuleTest extends KernelTestBase {

    @Configuration
    public Option[] config() {
        return options(KvmOsgi.platform(), KvmOsgi.host("intel"), KvmOsgi.feature("fixtures"));
    }

    @Test
    public void requestModuleLoadsTheModuleThroughModprobe() throws Exception {
        insmod("mod_requester", "want=mod_chain_b");
        assertDmesg("mod_requester: request_module(mod_chain_b): 1 of 1 returned 0, first other result 0");
        assertEquals("live", initstate("mod_chain_b"));
        assertEquals("modprobe brought the dependency", "live", initstate("mod_chain_a"));
        rmmod("mod_requester");
    }

    @Test
    public void fiftyEightConcurrentRequestsAllSucceedWithOneLoad() throws Exception {
        insmod("mod_requester", "want=mod_exporter threads=58");
        assertDmesg("mod_requester: request_module(mod_exporter): 58 of 58 returned 0, first other result 0");
        assertEquals("live", initstate("mod_exporter"));
        assertEquals("one load", 1, dmesgCount("mod_exporter: init"));
        rmmod("mod_requester");
    }

    @Test
    public void requestForAMissingModuleFails() throws Exception {
        insmod("mod_requester", "want=mod_nope");
        assertEquals(1, dmesg().stream()
                .filter(l -> l.startsWith("mod_requester: request_module(mod_nope): 0 of 1 returned 0, first other result "))
                .count());
        rmmod("mod_requester");
        assertNotEquals("strict: init fails with the request's failure", 0,
                insmodErrno("mod_requester", "want=mod_nope strict=1"));
        assertGone("mod_requester");
    }
}
