package org.kvmosgi.testsupport.kit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.kvmosgi.kernel.api.Errno;

/**
 * Assertions about the kernel as a kernel engineer states them: a module is live with
 * this refcount and these holders, or gone without a trace; dmesg has these lines in
 * this order; nothing leaked; the invariants hold; a load fails with this errno and
 * this message. Each failure says what the kernel showed instead.
 */
public final class KernelAssert {
    private KernelAssert() {}

    /** Live in /proc/modules and /sys/module, with this refcount and exactly these holders (any order). */
    public static void assertLive(Kernel k, String module, int refcnt, String... holders) {
        Kernel.Module m = k.module(module);
        if (m == null) {
            throw new AssertionError(module + " is not loaded; /proc/modules:\n" + k.read("/proc/modules"));
        }
        List<String> want = new ArrayList<>(Arrays.asList(holders));
        List<String> got = new ArrayList<>(m.holders());
        want.sort(null);
        got.sort(null);
        if (!m.state().equals("Live") || !"live".equals(k.initstate(module)) || m.refcnt() != refcnt
                || !want.equals(got)) {
            throw new AssertionError("expected " + module + " Live, refcnt " + refcnt + ", used by " + want
                    + "; the kernel shows " + m.state() + " (initstate " + k.initstate(module) + "), refcnt "
                    + m.refcnt() + ", used by " + got);
        }
    }

    /** Not held by the kernel: no /proc/modules line, no /sys/module directory. */
    public static void assertAbsent(Kernel k, String module) {
        Kernel.Module m = k.module(module);
        String state = k.initstate(module);
        if (m != null || state != null) {
            throw new AssertionError("expected " + module + " gone; the kernel shows "
                    + (m != null ? m.state() + ", refcnt " + m.refcnt() + ", used by " + m.holders() : "")
                    + (state != null ? " /sys/module/" + module + "/initstate " + state : ""));
        }
    }

    /** dmesg (since the last clear) has these exact lines, in this order, others between allowed. */
    public static void assertDmesgInOrder(Kernel k, String... lines) {
        inOrder(k.dmesg(), Arrays.stream(lines).map(Pattern::quote).toArray(String[]::new), lines);
    }

    /** As {@link #assertDmesgInOrder} with regular expressions, each matching a whole line. */
    public static void assertDmesgMatchesInOrder(Kernel k, String... regexes) {
        inOrder(k.dmesg(), regexes, regexes);
    }

    private static void inOrder(List<String> log, String[] regexes, String[] shown) {
        int at = 0;
        for (int i = 0; i < regexes.length; i++) {
            Pattern p = Pattern.compile(regexes[i]);
            while (at < log.size() && !p.matcher(log.get(at)).matches()) {
                at++;
            }
            if (at == log.size()) {
                throw new AssertionError("dmesg lacks, in order, \"" + shown[i] + "\""
                        + (i > 0 ? " after \"" + shown[i - 1] + "\"" : "") + "; dmesg:\n" + String.join("\n", log));
            }
            at++;
        }
    }

    /** dmesg (since the last clear) does not have this exact line. */
    public static void assertNoDmesg(Kernel k, String line) {
        List<String> log = k.dmesg();
        if (log.contains(line)) {
            throw new AssertionError("dmesg has \"" + line + "\":\n" + String.join("\n", log));
        }
    }

    /**
     * No module unloaded since dmesg was last cleared left anything behind: dmesg has no
     * {@code kmemleak: N new suspected memory leaks} line, which the unload prints when it does.
     */
    public static void assertNoLeakReported(Kernel k) {
        List<String> log = k.dmesg();
        if (log.stream().anyMatch(l -> l.startsWith("kmemleak"))) {
            throw new AssertionError("kmemleak reports:\n" + String.join("\n", log));
        }
    }

    /** kmemleak suspects nothing: no module that went left memory, devices, references or threads. */
    public static void assertNoLeaks(Kernel k) {
        List<String> leaks = k.leaks();
        if (!leaks.isEmpty()) {
            throw new AssertionError("kmemleak:\n" + String.join("\n", leaks));
        }
    }

    /** The kernel's and user space's invariants hold (diag's {@code invariants}). */
    public static void assertInvariants(Shell sh) {
        Shell.Result r = sh.run("invariants");
        if (!r.ok()) {
            throw new AssertionError("invariants violated:\n" + r.out() + r.err());
        }
    }

    /**
     * insmod of the module's file fails with {@code errno}, dmesg has {@code message}, and
     * nothing of the module stays: not loaded, nothing leaked.
     */
    public static void assertLoadFails(Kernel k, String module, String params, Errno errno, String message) {
        k.clearDmesg();
        int got = k.finitModule(module, params);
        if (got != errno.value()) {
            throw new AssertionError("insmod " + module + ": expected -" + errno.name() + " (" + errno.strerror()
                    + "), got " + (got == 0 ? "success" : "-" + name(got)) + "; dmesg:\n"
                    + String.join("\n", k.dmesg()));
        }
        assertDmesgInOrder(k, message);
        assertAbsent(k, module);
        assertNoLeaks(k);
    }

    /** modprobe through the shell fails with this status and exactly this message on stderr. */
    public static void assertModprobeFails(Shell sh, String module, String message) {
        Shell.Result r = sh.run("modprobe " + module);
        if (r.ok() || !r.err().lines().toList().contains(message)) {
            throw new AssertionError("expected `modprobe " + module + "` to fail with \"" + message + "\"; got " + r);
        }
    }

    private static String name(int errno) {
        Errno e = Errno.of(errno);
        return e == null ? Integer.toString(errno) : e.name();
    }
}
