package org.kvmosgi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.kvmosgi.testsupport.kit.KernelAssert.assertDmesgInOrder;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicIntegerArray;
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

/**
 * Loads that overlap: an importer of a COMING module waits for it; concurrent loads of
 * one module share one init and one result. mod_slow's init is held in COMING through
 * its sysfs parameter {@code hold} until the test releases it, so no timing is guessed.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConcurrencyTest extends KernelTestBase {

    @Configuration
    public Option[] config() {
        return options(KvmOsgi.platform(), KvmOsgi.host("intel"), KvmOsgi.feature("fixtures"));
    }

    /** A load in a thread of its own; errno() after join: 0 or the positive errno. */
    private final class Load extends Thread {
        private final String module;
        private final String params;
        private volatile int errno = -1;

        Load(String module, String params) {
            super("insmod " + module);
            this.module = module;
            this.params = params;
            start();
        }

        @Override
        public void run() {
            try {
                errno = kernel.finitModule(module, params);
            } catch (Throwable e) {
                errno = -2;
                throw new RuntimeException(e);
            }
        }

        int result() throws InterruptedException {
            join(30_000);
            assertFalse(getName() + " still running", isAlive());
            return errno;
        }
    }

    private Load holdSlow(String params) throws InterruptedException {
        Load slow = new Load("mod_slow", "hold=1 " + params);
        await("mod_slow COMING", () -> "coming".equals(kernel.initstate("mod_slow")));
        return slow;
    }

    /** The threads of {@link #startLoads} and the errno each load returned (-1: it threw). */
    private record Loads(List<Thread> threads, AtomicIntegerArray errnos) {}

    /** Starts {@code n} threads that each finit_module {@code module} once {@code go} opens. */
    private Loads startLoads(int n, CyclicBarrier go, String module, String params) {
        AtomicIntegerArray errnos = new AtomicIntegerArray(n);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int slot = i;
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    errnos.set(slot, kernel.finitModule(module, params));
                } catch (Exception e) {
                    errnos.set(slot, -1);
                }
            }, "insmod-" + i);
            t.start();
            threads.add(t);
        }
        return new Loads(threads, errnos);
    }

    private void release() throws ErrnoException {
        sys.write("/sys/module/mod_slow/parameters/hold", "N");
    }

    @Test
    public void comingModuleIsVisibleAsLoadingWithItsExports() throws Exception {
        Load slow = holdSlow("");
        Kernel.Module m = kernel.module("mod_slow");
        assertEquals("Loading", m.state());
        assertEquals("exports are visible from COMING on", 1, symbol("slow_sym").size());
        assertEquals("unload of a COMING module", Errno.EBUSY.value(), kernel.deleteModule("mod_slow", Syscalls.O_NONBLOCK));
        release();
        assertEquals(0, slow.result());
        assertEquals("live", kernel.initstate("mod_slow"));
        assertEquals("Live", kernel.module("mod_slow").state());
        kernel.rmmod("mod_slow");
        assertGone("mod_slow");
    }

    @Test
    public void importerOfAComingModuleWaitsUntilItIsLive() throws Exception {
        Load slow = holdSlow("");
        Load user = new Load("mod_slowuser", "");
        await("mod_slowuser blocked in finit_module", () -> blockedIn(user, "finitModule"));
        assertNull("the waiting importer is not listed yet", kernel.module("mod_slowuser"));
        assertEquals("coming", kernel.initstate("mod_slow"));
        release();
        assertEquals(0, slow.result());
        assertEquals(0, user.result());
        assertEquals(List.of("mod_slowuser"), kernel.holders("mod_slow"));
        assertFalse(kernel.dmesg().stream().anyMatch(l -> l.startsWith("mod_slowuser: gave up waiting")));
        kernel.rmmod("mod_slowuser");
        kernel.rmmod("mod_slow");
    }

    @Test
    public void importerWaitingOnAnExporterWhoseInitFailsGetsEnoent() throws Exception {
        Load slow = holdSlow("");
        Load user = new Load("mod_slowuser", "");
        await("mod_slowuser blocked in finit_module", () -> blockedIn(user, "finitModule"));
        sys.write("/sys/module/mod_slow/parameters/ret", "-12");
        release();
        assertEquals(Errno.ENOMEM.value(), slow.result());
        assertEquals(Errno.ENOENT.value(), user.result());
        assertDmesgInOrder(kernel, "mod_slowuser: Unknown symbol slow_sym (err -2)");
        assertGone("mod_slow");
        assertGone("mod_slowuser");
        assertEquals(List.of(), symbol("slow_sym"));
    }

    @Test
    public void twoConcurrentLoadsGetTheSameSuccess() throws Exception {
        Load first = holdSlow("");
        Load second = new Load("mod_slow", "hold=1");
        await("second load blocked", () -> blockedIn(second, "finitModule"));
        release();
        assertEquals(0, first.result());
        assertEquals("the second load gets the first one's result", 0, second.result());
        assertEquals("init ran once", 1, dmesgCount("mod_slow: init"));
        kernel.rmmod("mod_slow");
    }

    @Test
    public void twoConcurrentLoadsGetTheSameFailure() throws Exception {
        Load first = holdSlow("ret=-12");
        Load second = new Load("mod_slow", "hold=1 ret=-12");
        await("second load blocked", () -> blockedIn(second, "finitModule"));
        release();
        assertEquals(Errno.ENOMEM.value(), first.result());
        assertEquals(Errno.ENOMEM.value(), second.result());
        assertEquals("init ran once", 1, dmesgCount("mod_slow: init"));
        assertGone("mod_slow");
    }

    @Test
    public void fiftyEightConcurrentLoadsAllSucceedWithOneInit() throws Exception {
        int n = 58;
        CyclicBarrier go = new CyclicBarrier(n + 1);
        Loads loads = startLoads(n, go, "mod_slow", "hold=1");
        List<Thread> threads = loads.threads();
        AtomicIntegerArray results = loads.errnos();
        go.await();
        await("mod_slow COMING", () -> "coming".equals(kernel.initstate("mod_slow")));
        await("all 58 loads inside finit_module", () -> threads.stream().allMatch(t -> blockedIn(t, "finitModule")));
        release();
        for (Thread t : threads) {
            t.join(30_000);
        }
        for (int i = 0; i < n; i++) {
            assertEquals("load " + i, 0, results.get(i));
        }
        assertEquals("init ran once", 1, dmesgCount("mod_slow: init"));
        assertEquals(1, kernel.loaded().stream().filter("mod_slow"::equals).count());
        assertTrue(sys.list("/sys/module").contains("mod_slow"));
        kernel.rmmod("mod_slow");
    }

    /**
     * kmod.sh's scenario 0008 in the kernel's selftests, shortened: round after round, the
     * module is unloaded and 58 threads load it at once. Every load succeeds or finds it
     * loaded (EEXIST, which modprobe counts as success), init runs once a round, and the
     * symbol index agrees with the registry after each load and each unload. The module's
     * bundle stays installed between rounds, so this also shows a kept bundle loads as a
     * fresh one does. ./kvmsh --bench concurrent runs the full 150 rounds and times them.
     */
    @Test
    public void fiftyEightThreadsLoadAndUnloadOneModuleRoundAfterRound() throws Exception {
        int n = 58;
        int rounds = 20;
        for (int round = 0; round < rounds; round++) {
            Loads loads = startLoads(n, new CyclicBarrier(n), "mod_exporter", "");
            List<Thread> threads = loads.threads();
            AtomicIntegerArray results = loads.errnos();
            for (Thread t : threads) {
                t.join(30_000);
                assertFalse(t.getName() + " still running", t.isAlive());
            }
            for (int i = 0; i < n; i++) {
                int r = results.get(i);
                assertTrue("round " + round + ", load " + i + ": errno " + r, r == 0 || r == Errno.EEXIST.value());
            }
            assertEquals("round " + round + ": init ran once", round + 1, dmesgCount("mod_exporter: init"));
            assertEquals("live", kernel.initstate("mod_exporter"));
            assertEquals("round " + round + " after the loads", "", sys.read("/sys/kernel/debug/kvmosgi/invariants"));
            kernel.rmmod("mod_exporter");
            assertGone("mod_exporter");
            assertEquals("round " + round + " after the unload", "", sys.read("/sys/kernel/debug/kvmosgi/invariants"));
        }
        assertEquals(rounds, dmesgCount("mod_exporter: exit"));
    }

    @Test
    public void goingModuleRefusesLoadUnloadAndImporters() throws Exception {
        kernel.insmod("mod_slow", "hold_exit=1");
        Thread rm = new Thread(() -> kernel.deleteModule("mod_slow", Syscalls.O_NONBLOCK), "rmmod mod_slow");
        rm.start();
        await("mod_slow GOING", () -> "going".equals(kernel.initstate("mod_slow")));
        assertEquals("Unloading", kernel.module("mod_slow").state());
        assertEquals("load while going", Errno.EBUSY.value(), kernel.finitModule("mod_slow", ""));
        assertEquals("unload while going: not LIVE", Errno.EBUSY.value(), kernel.deleteModule("mod_slow", Syscalls.O_NONBLOCK));
        assertEquals("an importer cannot take a reference on a going module", Errno.ENOENT.value(),
                kernel.finitModule("mod_slowuser", ""));
        assertDmesgInOrder(kernel, "mod_slowuser: Unknown symbol slow_sym (err -2)");
        assertGone("mod_slowuser");

        sys.write("/sys/module/mod_slow/parameters/hold_exit", "N");
        rm.join(30_000);
        assertFalse(rm.isAlive());
        assertDmesgInOrder(kernel, "mod_slow: exit done");
        assertGone("mod_slow");
    }
}
