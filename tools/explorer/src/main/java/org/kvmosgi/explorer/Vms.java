package org.kvmosgi.explorer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a sequence's VMs pin, and what a forced unload freed under them: the facts both
 * runners need to tell the kernel's answer to a forced unload from a model bug. Linux
 * frees a module that {@code rmmod -f} (or the model's raw framework stop) removes with
 * files still open; each later ioctl on those files, and their release, jumps into the
 * freed text: an oops, -EFAULT from the ioctl, and what the module held reported by
 * kmemleak once when it went. None of that is a model bug, so it is expected exactly
 * there: an oops at a freed instance's address, a leak of a module freed so (one that a
 * forced unload or raw stop took away while a VM was open). What is
 * checked instead is the run's result against the module state: an ioctl on a VM whose
 * pinned instance was freed must oops and fail -EFAULT (never run in freed code), one on a
 * VM whose modules are live must run.
 *
 * <p>A VM pins the modules whose refcount its creation raised (/proc/modules before and
 * after); it is freed when a forced unload or raw stop takes one of them away.
 */
final class Vms {
    /** A line of /proc/modules: refcount and base address. */
    record Module(int refcnt, String address) {}

    static final String OOPS = "BUG: unable to handle page fault for address: ";
    static final String LEAKS = "kmemleak: ";
    static final String KMEMLEAK = "/sys/kernel/debug/kmemleak";

    /** The vmfd VMs, oldest first, as the runners stack them: what each pins and whether that was freed. */
    private final List<Set<String>> pins = new ArrayList<>();
    private final List<Boolean> freed = new ArrayList<>();
    /** The VMM's VM: null when there is none. */
    private String vmmOptions;
    private int vcpus;
    private boolean ran;
    private Set<String> vmmPins = Set.of();
    private boolean vmmFreed;
    /** Module instances a forced unload or raw stop freed while VMs were open: name to base address (without 0x). */
    private final Map<String, String> freedAt = new TreeMap<>();

    /** Makes this follow what {@code other} follows (for a runner going back to a prefix it kept). */
    void copyFrom(Vms other) {
        pins.clear();
        other.pins.forEach(p -> pins.add(new TreeSet<>(p)));
        freed.clear();
        freed.addAll(other.freed);
        vmmOptions = other.vmmOptions;
        vcpus = other.vcpus;
        ran = other.ran;
        vmmPins = other.vmmPins;
        vmmFreed = other.vmmFreed;
        freedAt.clear();
        freedAt.putAll(other.freedAt);
    }

    static Map<String, Module> parse(String procModules) {
        Map<String, Module> out = new HashMap<>();
        int len = procModules.length();
        for (int start = 0; start < len;) {
            int end = procModules.indexOf('\n', start);
            end = end < 0 ? len : end;
            parseLine(procModules, start, end, out);
            start = end + 1;
        }
        return out;
    }

    /**
     * One line, {@code name size refcnt holders state address [taints]}: its words 0, 2 and 5,
     * found by a scan, not a regex split (this runs before and after most VM steps); a line
     * of fewer words or whose refcount is no number is no module.
     */
    private static void parseLine(String s, int from, int to, Map<String, Module> out) {
        int[] word = new int[12];
        int i = from;
        for (int n = 0; n < 6; n++) {
            while (i < to && isSpace(s.charAt(i))) {
                i++;
            }
            if (i == to) {
                return;
            }
            word[2 * n] = i;
            while (i < to && !isSpace(s.charAt(i))) {
                i++;
            }
            word[2 * n + 1] = i;
        }
        int refcnt;
        try {
            refcnt = Integer.parseInt(s, word[4], word[5], 10);
        } catch (NumberFormatException e) {
            return;
        }
        out.put(s.substring(word[0], word[1]), new Module(refcnt, hex(s.substring(word[10], word[11]))));
    }

    /** The regex class \s. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    private static String hex(String address) {
        String a = address.toLowerCase(java.util.Locale.ROOT);
        return a.startsWith("0x") ? a.substring(2) : a;
    }

    /** Whether {@link #stepped} needs /proc/modules before and after {@code op} (else it takes nulls). */
    boolean needsModules(Op op) {
        return switch (op.kind()) {
            case VM_CREATE, VMM_CREATE -> true;
            case FORCE_UNLOAD, RAW_STOP -> !pins.isEmpty() || vmmOptions != null;
            case UNLOAD -> freed.contains(true) || vmmOptions != null && vmmFreed;
            default -> false;
        };
    }

    /**
     * Whether the VM {@code op} acts on pins a freed instance: an ioctl on it oopses. For a
     * vmfd destruction the newest vmfd VM; false for everything else.
     */
    boolean onFreedVm(Op op) {
        if (op.onVmmVm()) {
            return vmmOptions != null && vmmFreed;
        }
        return op.kind() == Op.Kind.VM_DESTROY && !freed.isEmpty() && freed.get(freed.size() - 1);
    }

    /** Follows what a step did; {@code before} and {@code after} are /proc/modules when {@link #needsModules}. */
    void stepped(Op op, boolean ok, String before, String after) {
        switch (op.kind()) {
            case VM_CREATE -> {
                if (ok) {
                    pins.add(raised(before, after));
                    freed.add(false);
                }
            }
            case VM_DESTROY -> {
                if (ok && !pins.isEmpty()) {
                    pins.remove(pins.size() - 1);
                    freed.remove(freed.size() - 1);
                }
            }
            case VMM_CREATE -> {
                if (ok) {
                    vmmOptions = op.arg();
                    vcpus = 1;
                    ran = false;
                    vmmFreed = false;
                    vmmPins = raised(before, after);
                }
            }
            case VCPU_CREATE -> vcpus += ok ? 1 : 0;
            case VM_RUN, PV_LOCK -> ran |= ok;
            case VMM_DESTROY -> {
                if (ok) {
                    vmmOptions = null;
                    vmmPins = Set.of();
                }
            }
            case FORCE_UNLOAD, RAW_STOP, UNLOAD -> {
                if (before != null) {
                    freeGone(parse(before), parse(after));
                }
            }
            default -> {
                // loads, plain unloads (a pinned module refuses them), parameters, armings
            }
        }
    }

    private static Set<String> raised(String before, String after) {
        Map<String, Module> b = parse(before);
        Set<String> out = new TreeSet<>();
        parse(after).forEach((m, a) -> {
            Module was = b.get(m);
            if (was != null && a.refcnt() > was.refcnt()) {
                out.add(m);
            }
        });
        return out;
    }

    /**
     * A forced unload or raw stop with VMs open, or an unload while a VM whose instance was
     * freed is still open: every module it took away went with VM objects alive (its own, or
     * kvm.ko's {@code struct kvm}: kvm's refcount does not count a VM, whose files pin the
     * vendor, so once the vendor was forced out kvm unloads under the orphaned VM), so its
     * leftovers are kmemleak's to report and its text is freed; a VM pinning one of them is freed.
     */
    private void freeGone(Map<String, Module> before, Map<String, Module> after) {
        before.forEach((m, was) -> {
            if (!after.containsKey(m)) {
                freedAt.put(m, was.address());
            }
        });
        for (int i = 0; i < pins.size(); i++) {
            if (goneFrom(pins.get(i), before, after)) {
                freed.set(i, true);
            }
        }
        if (vmmOptions != null && goneFrom(vmmPins, before, after)) {
            vmmFreed = true;
        }
    }

    private static boolean goneFrom(Set<String> pinned, Map<String, Module> before, Map<String, Module> after) {
        return pinned.stream().anyMatch(m -> before.containsKey(m) && !after.containsKey(m));
    }

    /** Whether some forced unload freed a module under a VM (a kmemleak report may then be expected). */
    boolean freedAny() {
        return !freedAt.isEmpty();
    }

    /**
     * The violations without those a forced unload explains: an oops at a freed instance's
     * address, and the kernel's count of leaks when every leaked object ({@code kmemleak},
     * /sys/kernel/debug/kmemleak) belongs to a module freed under a VM.
     */
    List<String> expected(List<String> violations, String kmemleak) {
        List<String> out = new ArrayList<>();
        for (String v : violations) {
            int i = v.indexOf(OOPS);
            if (i >= 0 && freedAt.containsValue(hex(v.substring(i + OOPS.length()).trim()))) {
                continue;
            }
            if (v.startsWith(LEAKS) && v.endsWith(" suspected leaks") && kmemleak != null && leaksOfFreed(kmemleak)) {
                continue;
            }
            out.add(v);
        }
        return out;
    }

    private boolean leaksOfFreed(String kmemleak) {
        boolean any = false;
        for (String l : kmemleak.split("\n")) {
            int i = l.indexOf(", module ");
            if (l.trim().startsWith("comm ") && i >= 0) {
                if (!freedAt.containsKey(l.substring(i + ", module ".length()).trim())) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }

    /**
     * The run's result against the module state, for a step on a VM: on a VM whose pinned
     * instance was freed ({@code wasFreed}, from {@link #onFreedVm} before the step) an ioctl
     * must oops (a new oops line in dmesg) and fail with -EFAULT, a destruction must oops;
     * on a live VM {@code vm run} and {@code vm lock} must succeed.
     */
    static List<String> check(Op op, String line, boolean wasFreed, int status, String err, int oopsBefore,
            int oopsAfter) {
        return check(op, line, wasFreed, false, status, err, oopsBefore, oopsAfter);
    }

    /**
     * As above; {@code injected}: an armed fail_function point fired during the step, so it
     * may have failed in kvm.ko before reaching the freed module (on PowerPC the VM's files
     * are kvm.ko's: KVM_CREATE_VCPU's cache allocation comes before the call through the
     * freed ops), with the injected errno and no oops.
     */
    static List<String> check(Op op, String line, boolean wasFreed, boolean injected, int status, String err,
            int oopsBefore, int oopsAfter) {
        List<String> out = new ArrayList<>();
        boolean ioctl = op.kind() == Op.Kind.VM_RUN || op.kind() == Op.Kind.VCPU_CREATE
                || op.kind() == Op.Kind.PV_LOCK;
        boolean destroy = op.kind() == Op.Kind.VM_DESTROY || op.kind() == Op.Kind.VMM_DESTROY;
        if (wasFreed && ioctl) {
            if (status == 0) {
                out.add("vm: `" + line + "` succeeded on a VM whose module was freed by a forced unload: it ran in "
                        + "freed code instead of oopsing with -EFAULT");
            } else if (!err.contains("Bad address") && !injected) {
                out.add("vm: `" + line + "` on a VM whose module was freed failed without -EFAULT: " + err.trim());
            }
        }
        if (wasFreed && (ioctl || destroy) && oopsAfter <= oopsBefore && !(injected && status != 0)) {
            out.add("vm: `" + line + "` on a VM whose module was freed by a forced unload printed no oops");
        }
        if (!wasFreed && status != 0 && (op.kind() == Op.Kind.VM_RUN || op.kind() == Op.Kind.PV_LOCK)) {
            out.add("vm: `" + line + "` failed on a VM whose modules are live: " + err.trim());
        }
        return out;
    }

    /** Oops lines in a kernel log. */
    static int oopses(String dmesg) {
        int n = 0;
        for (int i = dmesg.indexOf(OOPS); i >= 0; i = dmesg.indexOf(OOPS, i + 1)) {
            n++;
        }
        return n;
    }

    /** The VMM's VM for the state key: "" or {@code OPTIONS/VCPUS[/ran][/freed]}. */
    String vmmKey() {
        return vmmOptions == null ? "" : vmmOptions + "/" + vcpus + (ran ? "/ran" : "") + (vmmFreed ? "/freed" : "");
    }

    /** The indexes of the vmfd VMs whose pinned instance was freed. */
    TreeSet<Integer> freedVms() {
        TreeSet<Integer> out = new TreeSet<>();
        for (int i = 0; i < freed.size(); i++) {
            if (freed.get(i)) {
                out.add(i);
            }
        }
        return out;
    }
}
