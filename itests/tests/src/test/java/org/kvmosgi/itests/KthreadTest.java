package org.kvmosgi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.kvmosgi.testsupport.kit.KernelAssert.assertDmesgInOrder;
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
 * Kernel threads are resources of their module: one the module stops at exit leaves
 * nothing; one it forgets is a leak, reported with the step that started it, and the
 * model stops it rather than let it run on (in Linux it would run freed code).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KthreadTest extends KernelTestBase {

    @Configuration
    public Option[] config() {
        return options(KvmOsgi.platform(), KvmOsgi.host("intel"), KvmOsgi.feature("fixtures"));
    }

    private static boolean pollerRunning() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("[mod_kthread_poll]") && t.isAlive());
    }

    @Test
    public void aThreadStoppedAtExitLeavesNothing() throws Exception {
        sys.write("/sys/kernel/debug/kmemleak", "clear");
        kernel.insmod("mod_kthread");
        assertTrue(pollerRunning());
        kernel.rmmod("mod_kthread");
        assertGone("mod_kthread");
        assertFalse(pollerRunning());
        assertDmesgInOrder(kernel, "mod_kthread: poller stopped: 0");
        assertEquals("", sys.read("/sys/kernel/debug/kmemleak"));
    }

    @Test
    public void aForgottenThreadIsALeakWithItsStep() throws Exception {
        sys.write("/sys/kernel/debug/kmemleak", "clear");
        kernel.insmod("mod_kthread", "forget_stop=Y");
        kernel.rmmod("mod_kthread");
        assertGone("mod_kthread");
        assertDmesgInOrder(kernel, "BUG: kthread mod_kthread_poll of mod_kthread outlived its module: stopped");
        assertDmesgInOrder(kernel, "kmemleak: 1 new suspected memory leaks (see /sys/kernel/debug/kmemleak)");
        String report = sys.read("/sys/kernel/debug/kmemleak");
        assertTrue(report, report.contains("kthread: [mod_kthread_poll]"));
        assertTrue(report, report.contains("mod_kthread:start_poller"));
        assertFalse("the model does not let it run on", pollerRunning());
        sys.write("/sys/kernel/debug/kmemleak", "clear");
    }
}
