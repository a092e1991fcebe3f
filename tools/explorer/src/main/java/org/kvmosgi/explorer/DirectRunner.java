package org.kvmosgi.explorer;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs a sequence on a {@link Platform} with the checks {@link SequenceRunner} makes over
 * a shell, and the same outcome, but only where they can change anything: a sequence
 * extends one whose every step was checked clean already (a violating sequence is never
 * extended), so its prefix is replayed without checks and only its last step is checked.
 * A prefix the platform is at already (the sequence just run) is not replayed at all.
 */
public final class DirectRunner {
    private final Platform platform;
    /** The operations the platform ran since its last reset, and what they left: null before the first run. */
    private List<Op> at;
    private Track track;
    private long replayed;
    private long reused;

    public DirectRunner(Platform platform) {
        this.platform = platform;
    }

    /** What the runner follows through a sequence: the lines, their statuses, the VMs, the armed point, the modules tried. */
    private static final class Track {
        final List<String> lines = new ArrayList<>();
        final List<Integer> statuses = new ArrayList<>();
        final List<Integer> vmFds = new ArrayList<>();
        final List<Long> vmTypes = new ArrayList<>();
        final Set<String> touched = new TreeSet<>();
        String armed;
        /** The point that fired during the last step although that step, a load, succeeded; else null. */
        String ignored;

        int newestVm() {
            return vmFds.isEmpty() ? -1 : vmFds.get(vmFds.size() - 1);
        }
    }

    public SequenceRunner.Outcome run(List<Op> ops) {
        List<Op> prefix = ops.isEmpty() ? ops : ops.subList(0, ops.size() - 1);
        if (at != null && at.equals(prefix)) {
            reused++;
        } else {
            platform.reset();
            track = new Track();
            for (Op op : prefix) {
                step(op, track);
                replayed++;
            }
        }
        at = List.copyOf(ops);
        if (ops.isEmpty()) {
            Platform.Check c = platform.check();
            return new SequenceRunner.Outcome(List.of(), List.of(), state(c, track), List.of(), platform.dmesg());
        }
        Op last = ops.get(ops.size() - 1);
        String line = last.line(track.newestVm());
        Platform.Step r = step(last, track);
        List<String> violations = new ArrayList<>();
        if (r.threw()) {
            violations.add("threw: `" + line + "`: " + r.err().trim());
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
        violations.addAll(c.violations());
        return new SequenceRunner.Outcome(track.lines, violations, state(c, track), track.statuses, platform.dmesg());
    }

    /** Runs one operation and follows what it did. */
    private Platform.Step step(Op op, Track t) {
        String line = op.line(t.newestVm());
        Platform.Step r = platform.apply(op, t.newestVm());
        t.lines.add(line);
        t.statuses.add(r.status());
        switch (op.kind()) {
            case ARM -> t.armed = r.ok() ? op.arg() : t.armed;
            case LOAD -> t.touched.add(op.arg());
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
            t.ignored = r.ok() && op.kind() == Op.Kind.LOAD ? t.armed : null;
            t.armed = null;
        }
        return r;
    }

    private static State state(Platform.Check c, Track t) {
        State loadedOnly = new State(c.loaded(), null, List.of(), c.devices(), new TreeSet<>());
        TreeSet<String> gone = new TreeSet<>(t.touched);
        gone.removeAll(loadedOnly.loadedNames());
        return new State(c.loaded(), t.armed, t.vmTypes, c.devices(), gone);
    }

    /** Steps replayed without checks to reach a prefix, and runs that found the platform at their prefix already. */
    public long replayed() {
        return replayed;
    }

    public long reused() {
        return reused;
    }
}
