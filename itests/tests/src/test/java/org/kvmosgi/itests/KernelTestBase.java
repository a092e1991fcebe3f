package org.kvmosgi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * What every loader test needs: the system calls, the module files of the fixtures
 * feature, dmesg since the test began, the symbol services in the registry, and a
 * cleanup that unloads what a test left loaded (never forcing: forced removal taints).
 */
public abstract class KernelTestBase {
    @Inject
    protected BundleContext context;

    @Inject
    protected Syscalls sys;

    private final Map<String, String> koPaths = new HashMap<>();

    @Before
    public void clearLog() {
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
        await("no module COMING or GOING", () -> {
            try {
                return procModules().stream().allMatch(m -> m[4].equals("Live"));
            } catch (ErrnoException e) {
                return false;
            }
        });
        for (int round = 0; round < 10; round++) {
            List<String[]> mods = procModules();
            if (mods.isEmpty()) {
                return;
            }
            for (String[] m : mods) {
                if (m[3].equals("-") && m[4].equals("Live")) {
                    try {
                        sys.deleteModule(m[0], Syscalls.O_NONBLOCK);
                    } catch (ErrnoException e) {
                        // in use or permanent: a later round or the test's own class deals with it
                    }
                }
            }
            if (procModules().size() == mods.size()) {
                return;
            }
        }
    }

    // ------------------------------------------------------------ modules

    /** The model path of a fixture module's file, found below /lib/modules/RELEASE by name. */
    protected String ko(String module) throws ErrnoException {
        String p = koPaths.get(module);
        if (p == null) {
            String want = module.replace('_', '-') + ".ko";
            p = findFile("/lib/modules/" + sys.kernelRelease(), want);
            if (p == null) {
                fail("no " + want + " below /lib/modules/" + sys.kernelRelease());
            }
            koPaths.put(module, p);
        }
        return p;
    }

    private String findFile(String dir, String name) throws ErrnoException {
        for (String e : sys.list(dir)) {
            String path = dir + "/" + e;
            if (e.equals(name)) {
                return path;
            }
            if (!e.contains(".")) {
                try {
                    String found = findFile(path, name);
                    if (found != null) {
                        return found;
                    }
                } catch (ErrnoException notADirectory) {
                    // a file
                }
            }
        }
        return null;
    }

    /** insmod: throws on failure. */
    protected void insmod(String module, String params) throws ErrnoException {
        sys.finitModule(ko(module), params, 0);
    }

    protected void insmod(String module) throws ErrnoException {
        insmod(module, "");
    }

    /** finit_module's result: 0 or the positive errno. */
    protected int insmodErrno(String module, String params) throws ErrnoException {
        String path = ko(module);
        try {
            sys.finitModule(path, params, 0);
            return 0;
        } catch (ErrnoException e) {
            return e.errno();
        }
    }

    protected void rmmod(String module) throws ErrnoException {
        sys.deleteModule(module, Syscalls.O_NONBLOCK);
    }

    /** delete_module's result: 0 or the positive errno. */
    protected int rmmodErrno(String module, int flags) {
        try {
            sys.deleteModule(module, flags);
            return 0;
        } catch (ErrnoException e) {
            return e.errno();
        }
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

    // ------------------------------------------------------------ state

    /** /proc/modules, one String[] {name, size, refcount, holders, state, address[, taints]} a line. */
    protected List<String[]> procModules() throws ErrnoException {
        List<String[]> out = new ArrayList<>();
        for (String line : sys.read("/proc/modules").split("\n")) {
            if (!line.isEmpty()) {
                out.add(line.split(" "));
            }
        }
        return out;
    }

    /** The /proc/modules fields of a module, or null when it is not listed. */
    protected String[] procModule(String module) throws ErrnoException {
        for (String[] m : procModules()) {
            if (m[0].equals(module)) {
                return m;
            }
        }
        return null;
    }

    protected List<String> loadedNames() throws ErrnoException {
        List<String> out = new ArrayList<>();
        for (String[] m : procModules()) {
            out.add(m[0]);
        }
        return out;
    }

    /** /sys/module/NAME/initstate without the newline, or null when there is no such module. */
    protected String initstate(String module) {
        try {
            return sys.read("/sys/module/" + module + "/initstate").trim();
        } catch (ErrnoException e) {
            assertEquals("reading initstate of " + module, Errno.ENOENT.value(), e.errno());
            return null;
        }
    }

    protected int refcnt(String module) throws ErrnoException {
        return Integer.parseInt(sys.read("/sys/module/" + module + "/refcnt").trim());
    }

    protected List<String> holders(String module) throws ErrnoException {
        return sys.list("/sys/module/" + module + "/holders");
    }

    protected String param(String module, String param) throws ErrnoException {
        String v = sys.read("/sys/module/" + module + "/parameters/" + param);
        assertTrue("sysfs values end with a newline: " + v, v.endsWith("\n"));
        return v.substring(0, v.length() - 1);
    }

    protected long tainted() throws ErrnoException {
        return Long.parseLong(sys.read("/proc/sys/kernel/tainted").trim());
    }

    /** Asserts that nothing of a module is left: not listed, no sysfs directory, no symbol services. */
    protected void assertGone(String module) throws Exception {
        assertEquals(module + " in /proc/modules", null, procModule(module));
        assertFalse(module + " in /sys/module", sys.list("/sys/module").contains(module));
        assertEquals(module + " has no /sys/module/" + module, null, initstate(module));
        assertEquals(module + "'s symbols in the registry", List.of(), symbolOwnersOf(module));
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

    // ------------------------------------------------------------ dmesg

    /** The kernel log since the test began (or the last clear), without timestamps. */
    protected List<String> dmesg() {
        List<String> out = new ArrayList<>();
        for (String line : sys.syslog(false)) {
            assertTrue("dmesg line format: " + line, line.matches("\\[ *\\d+\\.\\d{6}\\] .*"));
            out.add(line.substring(line.indexOf("] ") + 2));
        }
        return out;
    }

    protected void assertDmesg(String line) {
        List<String> log = dmesg();
        assertTrue("dmesg lacks \"" + line + "\":\n" + String.join("\n", log), log.contains(line));
    }

    protected void assertNoDmesg(String line) {
        List<String> log = dmesg();
        assertFalse("dmesg has \"" + line + "\":\n" + String.join("\n", log), log.contains(line));
    }

    protected long dmesgCount(String line) {
        return dmesg().stream().filter(line::equals).count();
    }

    protected boolean dmesgHasPrefix(String prefix) {
        return dmesg().stream().anyMatch(l -> l.startsWith(prefix));
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

    protected static String exceptionName(Throwable t) {
        return t.getClass().getName();
    }
}
