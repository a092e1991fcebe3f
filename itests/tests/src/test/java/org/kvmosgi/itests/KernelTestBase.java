package org.kvmosgi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.After;
import org.junit.Before;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.testsupport.kit.Kernel;
import org.kvmosgi.testsupport.kit.Shell;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * What every loader test needs: test-support's kit ({@code kernel}: the module files of the
 * fixtures feature, /proc/modules, /sys/module, dmesg since the test began; {@code sh}: shell
 * lines), the symbol services in the registry, and a cleanup that unloads what a test left
 * loaded (never forcing: forced removal taints).
 */
public abstract class KernelTestBase {
    @Inject
    protected BundleContext context;

    @Inject
    protected Syscalls sys;

    @Inject
    protected CommandProcessor processor;

    /** test-support's kit on the injected services: the kernel as user space reads it, and shell lines. */
    protected Kernel kernel;
    protected Shell sh;

    @Before
    public void kitAndClearLog() {
        kernel = new Kernel(sys);
        sh = new Shell(processor);
        clearLog();
    }

    /** dmesg -C before each test (a class that checks the boot's messages overrides it to keep them). */
    protected void clearLog() {
        sys.syslog(true);
    }

    @After
    public void unloadLeftovers() throws Exception {
        // a test that failed half-way may have left mod_slow holding its init or exit
        for (String m : sys.list("/sys/module")) {
            for (String hold : List.of("hold", "hold_exit")) {
                try {
                    sys.write("/sys/module/" + m + "/parameters/" + hold, "N");
                } catch (ErrnoException noSuchParameter) {
                    // most modules have none
                }
            }
        }
        await("no module COMING or GOING", () -> kernel.modules().stream().allMatch(m -> m.state().equals("Live")));
        for (int round = 0; round < 10; round++) {
            List<Kernel.Module> mods = kernel.modules();
            if (mods.isEmpty()) {
                return;
            }
            for (Kernel.Module m : mods) {
                if (m.usedBy().equals("-") && m.state().equals("Live")) {
                    // in use or permanent: a later round or the test's own class deals with it
                    kernel.deleteModule(m.name(), Syscalls.O_NONBLOCK);
                }
            }
            if (kernel.modules().size() == mods.size()) {
                return;
            }
        }
    }

    /** Asserts that nothing of a module is left: not listed, no sysfs directory, no symbol services. */
    protected void assertGone(String module) throws Exception {
        assertEquals(module + " in /proc/modules", null, kernel.module(module));
        assertFalse(module + " in /sys/module", sys.list("/sys/module").contains(module));
        assertEquals(module + " has no /sys/module/" + module, null, kernel.initstate(module));
        assertEquals(module + "'s symbols in the registry", List.of(), symbolOwnersOf(module));
    }

    /** How many times dmesg (since the test began) has this exact line. */
    protected long dmesgCount(String line) {
        return kernel.dmesg().stream().filter(line::equals).count();
    }

    /** The errno a failed bundle start of a module carries (its ModuleLoadError), or fails. */
    protected static int startErrno(org.osgi.framework.BundleException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.kvmosgi.kernel.api.ModuleLoadError mle) {
                return mle.errno();
            }
        }
        throw new AssertionError("cause is no ModuleLoadError: " + e, e);
    }

    // ------------------------------------------------------------ symbols

    /** The services of an exported symbol: one per exporter. */
    protected List<ServiceReference<?>> symbol(String name) throws InvalidSyntaxException {
        ServiceReference<?>[] refs = context.getAllServiceReferences(null, "(kernel.symbol=" + name + ")");
        return refs == null ? List.of() : Arrays.asList(refs);
    }

    /** The symbols the registry says a module exports. */
    protected List<String> symbolOwnersOf(String module) throws InvalidSyntaxException {
        ServiceReference<?>[] refs = context.getAllServiceReferences(null, "(kernel.symbol.owner=" + module + ")");
        List<String> out = new ArrayList<>();
        if (refs != null) {
            for (ServiceReference<?> r : refs) {
                out.add((String) r.getProperty("kernel.symbol"));
            }
        }
        out.sort(null);
        return out;
    }

    // ------------------------------------------------------------ waiting

    /** Polls (every millisecond or two) until the condition holds; fails after 20 s. */
    protected static void await(String what, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(1);
        }
    }

    /** Whether a thread is blocked inside a system call (waiting, with a Syscalls method on its stack). */
    protected static boolean blockedIn(Thread t, String syscall) {
        Thread.State s = t.getState();
        if (s != Thread.State.WAITING && s != Thread.State.TIMED_WAITING) {
            return false;
        }
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getMethodName().equals(syscall) && e.getClassName().startsWith("org.kvmosgi.kernel")) {
                return true;
            }
        }
        return false;
    }
}
