package org.kvmosgi.explorer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Runs a sequence on a {@link Platform} with the checks {@link SequenceRunner} makes over
 * a shell, and the same outcome, but only where they can change anything: a sequence
 * extends one whose every step was checked clean already (a violating sequence is never
 * extended), so its prefix is replayed without checks and only its last step is checked.
 * A prefix the platform is at already (the sequence just run) is not replayed at all.
 *
 * <p>Arming a fail_function point changes nothing but fail_function until a later step
 * reaches the point, so a sequence ending in an arming is run from its prefix's checked
 * state without a check of its own (the prefix's check is the arming's), and is undone by
 * disarming, which brings the platform back to the prefix for the next sibling. A step
 * that changed the kernel is undone where it can be (a load, an armed point it fired, a
 * VM step: {@link Platform#undo}), and the undo kept only when the kernel's mark is the
 * prefix's again; else the next sibling starts from a reset and a replay. The
 * oracle replays every first sequence to a new state from a fresh kernel with every step
 * checked, so each of these shortcuts is held to the shell's result.
 */
public final class DirectRunner {
    static final String PROC_MODULES = "/proc/modules";
    /**
     * What the unified PowerPC kvm prints when one of its built-in HV and PR failed and it
     * loaded with the other (the layout's rule, not an ignored error: {@code why vm} then
     * explains the refused type, and a VM of it that works is a contradiction the check of
     * {@code vmfd create} reports).
     */
    private static final Pattern BUILT_IN_UNAVAILABLE = Pattern.compile(
            "kvm: Book3S (HV|PR) unavailable \\(error -\\d+\\), running (HV|PR) only");
    private final Platform platform;
    /** The operations the platform ran since its last reset, and what they left: null before the first run. */
    private List<Op> at;
    private Track track;
    /** The check of the platform at {@code at}, or at {@code at} without its last step when that is an arming; null when not made. */
    private Platform.Check checked;
    private long armings;
    private long replayed;
    private long reused;
    private long unchanged;
    private long undone;
    private long undoFellBack;
    private long byCallsSteps;
    private long divergedReplays;
    private final Map<List<Op>, Recorded> traces;
    /** The platform's mark when it was at {@code markAt} (since the last reset), for siblings of a step that changes nothing. */
    private Object mark;
    private List<Op> markAt;
    /** The kernel's checkpoint slots: the node whose siblings run ({@code markAt}), and its parent ({@code parentAt}). */
    private static final int NODE = 0;
    private static final int PARENT = 1;
    /**
     * The platform's mark at {@code parentAt}, the prefix a replay reached last but for its
     * last step, and what the runner followed there: the next node, a sibling of the one
     * replayed, is reached by undoing back to it and making one step.
     */
    private Object parentMark;
    private List<Op> parentAt;
    private Track parentTrack;
    private long backToParent;
    /** Nanoseconds spent resetting and replaying, in the checked step, in its checks. */
    private long resetNanos;
    private long stepNanos;
    private long checkNanos;

    public DirectRunner(Platform platform) {
        this(platform, new ConcurrentHashMap<>());
    }

    /**
     * @param traces the steps' system calls by the sequence each ended, shared by the runners
     *        of one exploration (whose platforms run the same kernel on the same files)
     */
    public DirectRunner(Platform platform, Map<List<Op>, Recorded> traces) {
        this.platform = platform;
        this.traces = traces;
    }

    /** What the runner follows through a sequence: the lines, their statuses, the VMs, the armed point, the modules tried. */
    private static final class Track {
        final List<String> lines = new ArrayList<>();
        final List<Integer> statuses = new ArrayList<>();
        final List<Integer> vmFds = new ArrayList<>();
        final List<Long> vmTypes = new ArrayList<>();
        final Set<String> touched = new TreeSet<>();
        final Vms vms = new Vms();
        String armed;
        /** The point that fired during the last step although that step, a load, succeeded; else null. */
        String ignored;

        int newestVm() {
            return vmFds.isEmpty() ? -1 : vmFds.get(vmFds.size() - 1);
        }

        Track copy() {
            Track t = new Track();
            t.lines.addAll(lines);
            t.statuses.addAll(statuses);
            t.vmFds.addAll(vmFds);
            t.vmTypes.addAll(vmTypes);
            t.touched.addAll(touched);
            t.vms.copyFrom(vms);
            t.armed = armed;
            t.ignored = ignored;
            return t;
        }
    }

    /** A step's result and the kernel-changing system calls it made, for a replay by those calls. */
    public record Recorded(Platform.Step step, List<Platform.Call> calls) {}

    public SequenceRunner.Outcome run(List<Op> ops) {
        List<Op> prefix = ops.isEmpty() ? ops : ops.subList(0, ops.size() - 1);
        long t0 = System.nanoTime();
        if (at != null && at.size() == prefix.size() + 1 && at.get(prefix.size()).kind() == Op.Kind.ARM
                && track.armed != null && at.subList(0, prefix.size()).equals(prefix)) {
            // the last sequence armed a point from this prefix, which has not fired: disarm it
            platform.disarm();
            track.armed = null;
            track.lines.remove(track.lines.size() - 1);
            track.statuses.remove(track.statuses.size() - 1);
            reused++;
        } else if (at != null && at.equals(prefix)) {
            reused++;
        } else if (!backToParent(prefix)) {
            replay(prefix);
        }
        if (ops.isEmpty()) {
            at = List.of();
            Platform.Check c = platform.check();
            checked = c;
            return new SequenceRunner.Outcome(List.of(), List.of(), state(c, track), List.of(), platform.dmesg());
        }
        Op last = ops.get(ops.size() - 1);
        if (last.kind() == Op.Kind.ARM && track.armed == null) {
            return arm(ops, last, t0);
        }
        // a step that may leave the kernel as it was, or can be undone: what the runner follows at the prefix, and the kernel's mark there
        Platform.Check prefixCheck = checked;
        Object markBefore = null;
        if (mayChangeNothing(last)) {
            if (!prefix.equals(markAt) && (checked != null || worthMarking(last))) {
                mark = checked != null ? checked.mark() : platform.mark();
                markAt = List.copyOf(prefix);
                platform.save(NODE);
            }
            markBefore = prefix.equals(markAt) ? mark : null;
        }
        Track trackBefore = markBefore == null ? null : track.copy();
        at = List.copyOf(ops);
        checked = null;
        boolean onVm = last.onVmmVm() || last.kind() == Op.Kind.VM_DESTROY;
        boolean wasFreed = track.vms.onFreedVm(last);
        int oopsBefore = onVm ? Vms.oopses(platform.dmesg()) : 0;
        String armedBefore = track.armed;
        long t1 = System.nanoTime();
        Platform.Step r = step(last, track, ops, false);
        long t2 = System.nanoTime();
        resetNanos += t1 - t0;
        stepNanos += t2 - t1;
        String line = track.lines.get(track.lines.size() - 1);
        List<String> violations = new ArrayList<>();
        if (r.threw()) {
            violations.add("threw: `" + line + "`: " + r.err().trim());
        }
        String dmesg = platform.dmesg();
        if (onVm) {
            boolean injected = armedBefore != null && track.armed == null;
            violations.addAll(Vms.check(last, line, wasFreed, injected, r.status(), r.err(), oopsBefore,
                    Vms.oopses(dmesg)));
        }
        if (last.kind() == Op.Kind.VM_CREATE) {
            platform.whyVmContradictions(Long.parseLong(last.arg())).forEach(l -> violations.add("kvm: `" + line + "` "
                    + (r.ok() ? "succeeded" : "failed") + ": " + l));
        }
        if (track.ignored != null) {
            violations.add("failfn: " + track.ignored + " failed (injected), yet `" + line
                    + "` succeeded: the error was ignored");
        }
        Platform.Check c = platform.check();
        violations.addAll(violations(c, track));
        SequenceRunner.Outcome o = new SequenceRunner.Outcome(track.lines, violations, state(c, track), track.statuses,
                dmesg);
        if (markBefore != null && violations.isEmpty()) {
            boolean vmStep = r.ok() && (last.kind() == Op.Kind.VM_CREATE || last.kind() == Op.Kind.VM_DESTROY);
            Object markAfter = c.mark();
            boolean undoing = vmStep || !markBefore.equals(markAfter);
            if (undoing) {
                markAfter = undo(last, r, trackBefore, markBefore);
            }
            if (markBefore.equals(markAfter)) {
                // the kernel reads as it did at the prefix: the next sibling runs here, as after a reset and replay
                at = List.copyOf(prefix);
                track = trackBefore;
                checked = prefixCheck;
                if (undoing) {
                    undone++;
                } else {
                    unchanged++;
                }
            } else if (undoing && (markAfter != null || vmStep)) {
                // an undo left the platform somewhere no sequence names: the next run starts from a reset
                at = null;
                checked = null;
                markAt = null;
                undoFellBack++;
            }
        }
        checkNanos += System.nanoTime() - t2;
        return o;
    }

    /**
     * Whether a mark, which costs about what a check does, is worth taking before {@code op}
     * when none was taken at its prefix: always before a VM step or a load (what they did is
     * undone), and before a module's unload when /proc/modules says it will likely change
     * nothing (the module is not loaded, or in use): an unload that went is not undone.
     */
    private boolean worthMarking(Op op) {
        if (op.kind() != Op.Kind.UNLOAD && op.kind() != Op.Kind.FORCE_UNLOAD) {
            return true;
        }
        Vms.Module m = Vms.parse(platform.read(PROC_MODULES)).get(op.arg());
        return m == null || m.refcnt() > 0;
    }

    /**
     * Undoes a step so that the next sibling can run from the prefix: a VM's creation or
     * destruction that succeeded by closing the VM again or creating one of the destroyed
     * one's type again (on the fd it had), then what the platform undoes
     * ({@link Platform#undo}: the modules the step loaded, an armed point it fired, the
     * kernel's log and load history). Returns the platform's mark after, for the caller to
     * compare with the prefix's; null when no undo was made (the platform is where the step
     * left it, but for a VM step, which may have been half undone). Not once a forced
     * unload freed a module under a VM.
     */
    private Object undo(Op last, Platform.Step r, Track before, Object markBefore) {
        boolean vmStep = r.ok() && (last.kind() == Op.Kind.VM_CREATE || last.kind() == Op.Kind.VM_DESTROY);
        if (vmStep) {
            if (before.vms.freedAny()) {
                return null;
            }
            if (last.kind() == Op.Kind.VM_CREATE) {
                if (r.vmFd() < 0 || !platform.apply(Op.vmDestroy(), r.vmFd()).ok()) {
                    return null;
                }
            } else {
                if (before.vmFds.isEmpty()) {
                    return null;
                }
                Platform.Step again = platform.apply(Op.vmCreate(before.vmTypes.get(before.vmTypes.size() - 1)), -1);
                if (!again.ok() || again.vmFd() != before.newestVm()) {
                    return null;
                }
            }
        }
        Object after = platform.undo(markBefore, NODE);
        return after != null || !vmStep ? after : platform.mark();
    }

    /**
     * Whether {@code op} is one that often changes nothing (a modprobe of a loaded module, an
     * rmmod refused, a VM creation without /dev/kvm) or whose effects can be undone (a load:
     * what it loaded unloaded again; a VM step): then the platform's mark is taken before it,
     * so that its siblings can run without a reset when it changed nothing or was undone.
     * Only operations all of whose effects a mark shows, or belong to what the undo unloads:
     * not a parameter's write (sysfs values of modules that stay are not in the mark; a
     * modprobe with a parameter loads the module with it, or does nothing when it is
     * loaded), not the VMM's (its VM table is not), not a framework's stop or start (bundle
     * states are not).
     */
    private static boolean mayChangeNothing(Op op) {
        return switch (op.kind()) {
            case LOAD, LOAD_WITH, UNLOAD, FORCE_UNLOAD, VM_CREATE, VM_DESTROY -> true;
            default -> false;
        };
    }

    /** A sequence ending in an arming, from its prefix's check (made once per prefix). */
    private SequenceRunner.Outcome arm(List<Op> ops, Op last, long t0) {
        if (checked == null) {
            checked = platform.check();
        }
        at = List.copyOf(ops);
        long t1 = System.nanoTime();
        Platform.Step r = step(last, track, ops, false);
        String line = track.lines.get(track.lines.size() - 1);
        armings++;
        resetNanos += t1 - t0;
        stepNanos += System.nanoTime() - t1;
        List<String> violations = new ArrayList<>();
        if (r.threw()) {
            violations.add("threw: `" + line + "`: " + r.err().trim());
        }
        violations.addAll(violations(checked, track));
        return new SequenceRunner.Outcome(track.lines, violations, state(checked, track), track.statuses,
                platform.dmesg());
    }

    /** The check's violations without those a forced unload explains (see {@link Vms}). */
    private List<String> violations(Platform.Check c, Track t) {
        if (!t.vms.freedAny() || c.violations().isEmpty()) {
            return c.violations();
        }
        return t.vms.expected(c.violations(), platform.read(Vms.KMEMLEAK));
    }

    /** How often a kernel log says a load went on without one of its built-in implementations. */
    static int builtInUnavailable(String dmesg) {
        return (int) BUILT_IN_UNAVAILABLE.matcher(dmesg).results().count();
    }

    /**
     * Brings the platform to {@code prefix}, a sibling of the node last replayed (one step
     * from the same parent), by undoing every step since that parent and making the
     * sibling's last step: true when done. The steps since may only be loads, armings and
     * unloads (an unload that went makes the platform refuse the undo); the undo is kept
     * only when the kernel's mark is the parent's again, else the caller replays from a
     * reset.
     */
    private boolean backToParent(List<Op> prefix) {
        int n = parentAt == null ? -1 : parentAt.size();
        if (at == null || prefix.size() != n + 1 || at.size() < n || !prefix.subList(0, n).equals(parentAt)
                || !at.subList(0, n).equals(parentAt)) {
            return false;
        }
        for (Op op : at.subList(n, at.size())) {
            if (!undoneToParent(op)) {
                return false;
            }
        }
        Object after = platform.undo(parentMark, PARENT);
        if (after == null) {
            return false;
        }
        if (!parentMark.equals(after)) {
            undoFellBack++;
            return false;
        }
        at = parentAt;
        track = parentTrack.copy();
        checked = null;
        markAt = null;
        if (step(prefix.get(n), track, prefix, true) == null) {
            return false;
        }
        replayed++;
        backToParent++;
        at = List.copyOf(prefix);
        return true;
    }

    /** The steps {@link #backToParent} undoes: what {@link Platform#undo} takes back, or refuses to. */
    private static boolean undoneToParent(Op op) {
        return switch (op.kind()) {
            case LOAD, LOAD_WITH, ARM, UNLOAD, FORCE_UNLOAD -> true;
            default -> false;
        };
    }

    /**
     * Brings the platform to {@code prefix} from a reset: each step whose kernel-changing
     * system calls were written down when it ran (by this runner or another on the same
     * kernel) is those calls made again, the others are run. When a call's result differs
     * from the one written down, the whole prefix is run again from a reset.
     */
    private void replay(List<Op> prefix) {
        for (boolean byCalls = true;; byCalls = false) {
            platform.reset();
            track = new Track();
            checked = null;
            markAt = null;
            boolean diverged = false;
            parentAt = null;
            for (int i = 0; i < prefix.size() && !diverged; i++) {
                if (i == prefix.size() - 1) {
                    // the parent's mark, for the next node if it is a sibling of this one
                    parentMark = platform.mark();
                    if (parentMark != null) {
                        platform.save(PARENT);
                        parentAt = List.copyOf(prefix.subList(0, i));
                        parentTrack = track.copy();
                    }
                }
                diverged = step(prefix.get(i), track, prefix.subList(0, i + 1), byCalls) == null;
                replayed++;
            }
            if (!diverged) {
                return;
            }
            divergedReplays++;
        }
    }

    /**
     * Runs one operation and follows what it did; {@code seq} is the sequence it ends, under
     * which the step's system calls are written down (when the platform records them) and,
     * with {@code byCalls}, looked up to be made again instead of running the tool. Null when
     * those calls' results differ from the ones written down.
     */
    private Platform.Step step(Op op, Track t, List<Op> seq, boolean byCalls) {
        int withoutBefore = t.armed != null && op.isLoad() ? builtInUnavailable(platform.dmesg()) : 0;
        long bundle = op.isRaw() ? platform.bundleId(op.module()) : -1;
        String line = op.line(t.newestVm(), bundle);
        boolean modules = t.vms.needsModules(op);
        String before = modules ? platform.read(PROC_MODULES) : null;
        Recorded recorded = byCalls ? traces.get(seq) : null;
        Platform.Step r;
        if (op.isRaw() && bundle < 0) {
            r = new Platform.Step(1, Op.noBundle(op.module()), false, -1);
        } else if (recorded != null) {
            if (!platform.replay(recorded.calls())) {
                return null;
            }
            r = recorded.step();
            byCallsSteps++;
        } else {
            r = platform.apply(op, t.newestVm());
            List<Platform.Call> calls = platform.lastCalls();
            if (seq != null && calls != null) {
                traces.putIfAbsent(List.copyOf(seq), new Recorded(r, calls));
            }
        }
        t.vms.stepped(op, r.ok(), before, modules ? platform.read(PROC_MODULES) : null);
        t.lines.add(line);
        t.statuses.add(r.status());
        switch (op.kind()) {
            case ARM -> t.armed = r.ok() ? op.arg() : t.armed;
            case LOAD, LOAD_WITH, RAW_START -> t.touched.add(op.module());
            case VM_CREATE -> {
                if (r.ok() && r.vmFd() >= 0) {
                    t.vmFds.add(r.vmFd());
                    t.vmTypes.add(Long.parseLong(op.arg()));
                }
            }
            case VM_DESTROY -> {
                if (r.ok() && !t.vmFds.isEmpty()) {
                    t.vmFds.remove(t.vmFds.size() - 1);
                    t.vmTypes.remove(t.vmTypes.size() - 1);
                }
            }
            default -> {
                // an unload: the state shows it
            }
        }
        t.ignored = null;
        if (t.armed != null && platform.failTimes() == 0) {
            // the point fired during this step, and is spent
            t.ignored = r.ok() && op.isLoad() && builtInUnavailable(platform.dmesg()) <= withoutBefore ? t.armed : null;
            t.armed = null;
        }
        return r;
    }

    private static State state(Platform.Check c, Track t) {
        State loadedOnly = new State(c.loaded(), null, List.of(), c.devices(), new TreeSet<>());
        TreeSet<String> gone = new TreeSet<>(t.touched);
        gone.removeAll(loadedOnly.loadedNames());
        return new State(c.loaded(), t.armed, t.vmTypes, c.devices(), gone, t.vms.vmmKey(), t.vms.freedVms());
    }

    public Platform platform() {
        return platform;
    }

    /** Steps replayed without checks to reach a prefix, and runs that found the platform at their prefix already. */
    public long replayed() {
        return replayed;
    }

    public long reused() {
        return reused;
    }

    /**
     * Runs whose step left the kernel's mark as it was at their prefix (see {@link Platform#mark}):
     * the next sibling ran there, without a reset and a replay.
     */
    public long unchanged() {
        return unchanged;
    }

    /** Replayed steps made by their written-down system calls instead of their tool. */
    public long byCalls() {
        return byCallsSteps;
    }

    /** Replays by system calls whose results differed from the ones written down (then run again by the tools). */
    public long diverged() {
        return divergedReplays;
    }

    /**
     * Runs whose step was undone (a load, a VM's creation or destruction, an armed point
     * fired), bringing the kernel's mark back to their prefix's: the next sibling ran there.
     */
    public long undone() {
        return undone;
    }

    /**
     * Prefixes reached from a sibling node by undoing back to their common parent and making
     * one step, instead of a reset and a replay of the whole prefix.
     */
    public long backToParent() {
        return backToParent;
    }

    /** Undos after which the kernel's mark differed from the prefix's: the next run started from a reset and replay. */
    public long undoFellBack() {
        return undoFellBack;
    }

    /** Sequences ending in an arming, run from their prefix's check. */
    public long armings() {
        return armings;
    }

    /** Where the time went, in milliseconds: reset and replay, the checked steps, their checks. */
    public String timeSpent() {
        return String.format("reset and replay %d ms, steps %d ms, checks %d ms", resetNanos / 1_000_000,
                stepNanos / 1_000_000, checkNanos / 1_000_000);
    }
}
