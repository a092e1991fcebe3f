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

    private static final Pattern BUNDLE = Pattern.compile("bundle (\\d+) (\\S+)");

    private final Shell shell;
    /** Whether the last run left the VMM's VM open: the VMM closes it before the reset, as a process exits. */
    private boolean vmmOpen;

    public SequenceRunner(Shell shell) {
        this.shell = shell;
    }

    /**
     * The id of the module's bundle, -1 for none: asked of the framework in Gogo's own
     * language (the worker's shell is Gogo's, unsealed; Felix's {@code lb} prints past a
     * worker's session).
     */
    private long bundleId(String module) {
        Matcher m = BUNDLE.matcher(shell.run("each ($.context bundles) { echo bundle ($it bundleId) ($it symbolicName) }")
                .out());
        while (m.find()) {
            if (m.group(2).replace('-', '_').equals(module)) {
                return Long.parseLong(m.group(1));
            }
        }
        return -1;
    }

    public Outcome run(List<Op> ops) {
        if (vmmOpen) {
            shell.run("vm destroy " + Op.VMM_VM);
            vmmOpen = false;
        }
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
        Vms vms = new Vms();
        State state = observe(null, List.of(), touched, vms);
        for (Op op : ops) {
            int newest = vmFds.isEmpty() ? -1 : vmFds.peekLast();
            long bundle = op.isRaw() ? bundleId(op.module()) : -1;
            String line = op.line(newest, bundle);
            boolean onVm = op.onVmmVm() || op.kind() == Op.Kind.VM_DESTROY;
            boolean wasFreed = vms.onFreedVm(op);
            int oopsBefore = onVm ? Vms.oopses(shell.run("dmesg").out()) : 0;
            int withoutBefore = armed != null && op.isLoad() ? DirectRunner.builtInUnavailable(shell.run("dmesg").out())
                    : 0;
            boolean modules = vms.needsModules(op);
            String before = modules ? shell.run("cat " + DirectRunner.PROC_MODULES).out() : null;
            Shell.Result r = op.isRaw() && bundle < 0 ? new Shell.Result(1, "", Op.noBundle(op.module()), false)
                    : shell.run(line);
            vms.stepped(op, r.ok(), before, modules ? shell.run("cat " + DirectRunner.PROC_MODULES).out() : null);
            vmmOpen |= op.kind() == Op.Kind.VMM_CREATE && r.ok();
            lines.add(line);
            statuses.add(r.status());
            List<String> violations = new ArrayList<>();
            if (r.threw()) {
                violations.add("threw: `" + line + "`: " + r.err().trim());
            }
            boolean injected = armed != null && shell.run(TIMES).out().trim().equals("0");
            if (onVm) {
                violations.addAll(Vms.check(op, line, wasFreed, injected, r.status(), r.err(), oopsBefore,
                        Vms.oopses(shell.run("dmesg").out())));
            }
            switch (op.kind()) {
                case ARM -> armed = r.ok() ? op.arg() : armed;
                case LOAD, LOAD_WITH, RAW_START -> touched.add(op.module());
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
                if (r.ok() && op.isLoad()
                        && DirectRunner.builtInUnavailable(shell.run("dmesg").out()) <= withoutBefore) {
                    violations.add("failfn: " + armed + " failed (injected), yet `" + line
                            + "` succeeded: the error was ignored");
                }
                armed = null;
            }
            Shell.Result inv = shell.run("invariants");
            if (!inv.ok()) {
                List<String> found = inv.out().lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
                violations.addAll(vms.freedAny() ? vms.expected(found, shell.run("cat " + Vms.KMEMLEAK).out()) : found);
                if (inv.threw()) {
                    violations.add("threw: `invariants`: " + inv.err().trim());
                }
            }
            state = observe(armed, new ArrayList<>(vmTypes), touched, vms);
            if (!violations.isEmpty()) {
                return new Outcome(lines, violations, state, statuses, "");
            }
        }
        return new Outcome(lines, List.of(), state, statuses, "");
    }

    private State observe(String armed, List<Long> vmTypes, Set<String> touched, Vms vms) {
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
        return new State(loaded, armed, vmTypes, devices, gone, vms.vmmKey(), vms.freedVms());
    }
}
