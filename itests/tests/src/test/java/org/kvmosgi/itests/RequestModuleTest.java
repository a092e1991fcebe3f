package org.kvmosgi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.kvmosgi.testsupport.kit.KernelAssert.assertDmesgInOrder;
import static org.kvmosgi.testsupport.kit.KernelAssert.assertNoDmesg;
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
        kernel.insmod("mod_requester", "want=mod_chain_b");
        assertDmesgInOrder(kernel, "mod_requester: request_module(mod_chain_b): 1 of 1 returned 0, first other result 0");
        assertEquals("live", kernel.initstate("mod_chain_b"));
        assertEquals("modprobe brought the dependency", "live", kernel.initstate("mod_chain_a"));
        kernel.rmmod("mod_requester");
    }

    @Test
    public void fiftyEightConcurrentRequestsAllSucceedWithOneLoad() throws Exception {
        kernel.insmod("mod_requester", "want=mod_exporter threads=58");
        assertDmesgInOrder(kernel, "mod_requester: request_module(mod_exporter): 58 of 58 returned 0, first other result 0");
        assertEquals("live", kernel.initstate("mod_exporter"));
        assertEquals("one load", 1, dmesgCount("mod_exporter: init"));
        kernel.rmmod("mod_requester");
    }

    @Test
    public void requestForAMissingModuleFails() throws Exception {
        kernel.insmod("mod_requester", "want=mod_nope");
        assertEquals(1, kernel.dmesg().stream()
                .filter(l -> l.startsWith("mod_requester: request_module(mod_nope): 0 of 1 returned 0, first other result "))
                .count());
        kernel.rmmod("mod_requester");
        assertNotEquals("strict: init fails with the request's failure", 0,
                kernel.finitModule("mod_requester", "want=mod_nope strict=1"));
        assertGone("mod_requester");
    }

    @Test
    public void aModuleRequestingItselfIsNotLeftWaitingForItself() throws Exception {
        // Linux: modprobe's finit_module waits for the init that waits for modprobe, until a
        // fatal signal; the model fails that inner load with -EBUSY and the init goes on
        kernel.insmod("mod_requester", "want=mod_requester");
        assertDmesgInOrder(kernel, "request_module: modprobe mod_requester waits for the init of mod_requester, which waits for it: "
                + "failing the load with -EBUSY");
        assertDmesgInOrder(kernel, "mod_requester: request_module(mod_requester): 0 of 1 returned 0, first other result 256");
        assertEquals("live", kernel.initstate("mod_requester"));
        kernel.rmmod("mod_requester");
        assertGone("mod_requester");
        // the kernel is not left waiting: a later request still loads
        kernel.insmod("mod_requester", "want=mod_exporter");
        assertDmesgInOrder(kernel, "mod_requester: request_module(mod_exporter): 1 of 1 returned 0, first other result 0");
        kernel.rmmod("mod_requester");
    }

    @Test
    public void kthreadsPastThreadsMaxFailTheInitWhichStopsEveryThreadItMade() throws Exception {
        assertEquals("4096\n", sys.read("/proc/sys/kernel/threads-max"));
        sys.write("/sys/kernel/debug/kmemleak", "clear");
        assertEquals("copy_process's -EAGAIN at threads-max", 11,
                kernel.finitModule("mod_requester", "want=mod_exporter threads=100000"));
        assertDmesgInOrder(kernel, "mod_requester: Setting up thread 4096 failed");
        assertGone("mod_requester");
        assertEquals("every thread the init made was stopped", 0, Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("[mod_requester-") && t.isAlive()).count());
        assertEquals("nothing leaked", "", sys.read("/sys/kernel/debug/kmemleak"));
        assertNoDmesg(kernel, "mod_requester: request_module(mod_exporter): 0 of 100000 returned 0, first other result 0");
        // the task slots came back: the next attempt again gets threads-max threads, not fewer
        sys.syslog(true);
        assertEquals(11, kernel.finitModule("mod_requester", "want=mod_exporter threads=100000"));
        assertDmesgInOrder(kernel, "mod_requester: Setting up thread 4096 failed");
        kernel.insmod("mod_requester", "want=mod_exporter threads=2");
        assertDmesgInOrder(kernel, "mod_requester: request_module(mod_exporter): 2 of 2 returned 0, first other result 0");
        kernel.rmmod("mod_requester");
    }
}
