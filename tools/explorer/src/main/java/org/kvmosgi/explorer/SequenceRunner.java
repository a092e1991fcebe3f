package org.kvmosgi.explorer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs one sequence on a platform from a fresh kernel ({@code kreset}) and checks after
 * every step: the kernel's and user space's invariants ({@code invariants}), that no
 * command threw (a bug past a system call), that an injected failure was not ignored,
 * and that KVM_CREATE_VM behaved as the layout says ({@code why vm}).
 */
public final class SequenceRunner {
    static final String TIMES = "cat /sys/kernel/debug/fail_function/times";
    private static final Pattern VM_FD = Pattern.compile("VM fd (\\d+)");

    /**
     * What a run showed: the lines it ran, the violations of its last step (none: clean), the
     * state reached, each line's exit status and the kernel log after it (both for the
     * oracle's comparison; the log only from a direct run, "" from a shell's).
     */
    public record Outcome(List<String> lines, List<String> violations, State state, List<Integer> statuses,
            String dmesg) {
        public Outcome {
            lines = List.copyOf(lines);
            violations = List.copyOf(violations);
            statuses = List.copyOf(statuses);
        }

        public Outcome(List<String> lines, List<String> violations, State state) {
            this(lines, violations, state, List.of(), "");
        }

        public boolean violated() {
            return !violations.isEmpty();
        }
    }

    private final Shell shell;

    public SequenceRunner(Shell shell) {
        this.shell = shell;
    }

    public Outcome run(List<Op> ops) {
        Shell.Result reset = shell.run("kreset");
        if (!reset.ok()) {
            throw new IllegalStateException("kreset failed: " + reset.err().trim());
        }
        List<String> lines = new ArrayList<>();
        List<Integer> statuses = new ArrayList<>();
        Deque<Integer> vmFds = new ArrayDeque<>();
        Deque<Long> vmTypes = new ArrayDeque<>();
        Set<String> touched = new TreeSet<>();
        String armed = null;
        State state = observe(null, List.of(), touched);
        for (Op op : ops) {
            String line = op.line(vmFds.isEmpty() ? -1 : vmFds.peekLast());
            Shell.Result r = shell.run(line);
            lines.add(line);
            statuses.add(r.status());
            List<String> violations = new ArrayList<>();
            if (r.threw()) {
                violations.add("threw: `" + line + "`: " + r.err().trim());
            }
            switch (op.kind()) {
                case ARM -> armed = r.ok() ? op.arg() : armed;
                case LOAD, LOAD_WITH -> touched.add(op.module());
                case VM_CREATE -> {
                    Matcher m = VM_FD.matcher(r.out());
                    if (r.ok() && m.find()) {
                        vmFds.addLast(Integer.parseInt(m.group(1)));
                        vmTypes.addLast(Long.parseLong(op.arg()));
                    }
                    Shell.Result why = shell.run("why vm " + op.arg());
                    why.out().lines().filter(l -> l.contains("contradicts the layout")).map(String::trim)
                            .forEach(l -> violations.add("kvm: `" + line + "` " + (r.ok() ? "succeeded" : "failed")
                                    + ": " + l));
                }
                case VM_DESTROY -> {
                    if (r.ok() && !vmFds.isEmpty()) {
                        vmFds.removeLast();
                        vmTypes.removeLast();
                    }
                }
                default -> {
                    // unload: nothing to track beyond the state
                }
            }
            if (armed != null && shell.run(TIMES).out().trim().equals("0")) {
                // the point fired during this step
                if (r.ok() && op.isLoad()) {
                    violations.add("failfn: " + armed + " failed (injected), yet `" + line
                            + "` succeeded: the error was ignored");
                }
                armed = null;
            }
            Shell.Result inv = shell.run("invariants");
            if (!inv.ok()) {
                inv.out().lines().map(String::trim).filter(l -> !l.isEmpty()).forEach(violations::add);
                if (inv.threw()) {
                    violations.add("threw: `invariants`: " + inv.err().trim());
                }
            }
            state = observe(armed, new ArrayList<>(vmTypes), touched);
            if (!violations.isEmpty()) {
                return new Outcome(lines, violations, state, statuses, "");
            }
        }
        return new Outcome(lines, List.of(), state, statuses, "");
    }

    private State observe(String armed, List<Long> vms, Set<String> touched) {
        SortedSet<String> loaded = new TreeSet<>();
        SortedSet<String> names = new TreeSet<>();
        for (String l : shell.run("cat /proc/modules").out().split("\n")) {
            String[] f = l.trim().split("\\s+");
            if (f.length >= 5) {
                loaded.add(f[0] + "/" + f[2] + (f[4].equals("Live") ? "" : "/" + f[4]));
                names.add(f[0]);
            }
        }
        SortedSet<String> devices = new TreeSet<>();
        for (String d : shell.run("ls /dev").out().split("\\s+")) {
            if (!d.isBlank()) {
                devices.add(d.trim());
            }
        }
        SortedSet<String> gone = new TreeSet<>(touched);
        gone.removeAll(names);
        return new State(loaded, armed, vms, devices, gone);
    }
}
