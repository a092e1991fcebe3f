package org.kvmosgi.explorer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Holds the direct runs to what a user sees: sequences the explorer ran on a
 * {@link Platform} are run again as command lines through a Gogo session on a platform of
 * their own (bundles, services, the shell's commands), and the two must agree on every
 * line's exit status, the violations, the state reached and dmesg (time stamps,
 * addresses, pids and durations blanked). Sampled are every violation, the first sequence
 * to reach each new state, and a random share of the others; any difference fails the run.
 *
 * <p>The samples wait until {@link #finish}, when every real platform replays them side by
 * side: beside the exploration, a platform's JVM took the CPU its workers need (on two
 * cores the workers' threads ran half the time), and the exploration's rate measured the
 * oracle's load instead of the model.
 */
public final class Oracle implements AutoCloseable {
    /** What a sequence's replay on the real platform gave: the outcome and dmesg after it. */
    public record Replay(SequenceRunner.Outcome outcome, String dmesg) {}

    /** A sequence whose two runs disagreed, and how. */
    public record Difference(List<Op> ops, String what) {}

    private record Sample(long index, List<Op> ops, SequenceRunner.Outcome direct, String dmesg) {}

    private static final Pattern TIME = Pattern.compile("\\[\\s*\\d+\\.\\d+\\]");
    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-f]{8,}");
    /** A kernel address as an oops prints it, without 0x (the faulting address, CR2). */
    private static final Pattern BARE_ADDRESS = Pattern.compile("\\b[0-9a-f]{16}\\b");
    private static final Pattern PID = Pattern.compile("@ \\d+");
    /**
     * KVM_SET_CPUID2 after KVM_RUN warns on each vCPU that already ran: how many of the pv-lock
     * guest's vCPUs ran before the VMM's flip of the hint is its threads' timing (none or all).
     */
    private static final Pattern CPUID_AFTER_RUN = Pattern.compile(
            "(?m)^\\[T\\] kvm: KVM: KVM_SET_CPUID\\{,2\\} after KVM_RUN may cause guest instability\\n?");
    /** An oops's task line: the pid is the id of the Java thread that made the system call. */
    private static final Pattern OOPS_PID = Pattern.compile("PID: \\d+");
    private static final Pattern USECS = Pattern.compile("after \\d+ usecs");
    private static final Pattern THREW = Pattern.compile("(threw: `[^`]*`):.*");

    private final List<Function<List<Op>, Replay>> real;
    private final double rate;
    private final SplittableRandom random;
    private final Queue<Sample> queue = new ArrayDeque<>();
    /** The differences, by the order their samples were offered in. */
    private final SortedMap<Long, Difference> differences = new TreeMap<>();
    private final AtomicInteger checked = new AtomicInteger();
    private long offered;
    private final List<Thread> threads = new ArrayList<>();
    private volatile RuntimeException failure;

    /**
     * @param real replays a sequence from a fresh kernel on the real platform
     * @param rate the share of the sequences neither violating nor new that is sampled (0..1)
     */
    public Oracle(Function<List<Op>, Replay> real, double rate, long seed) {
        this(List.of(real), rate, seed);
    }

    /** @param real one replay per real platform, each called from one thread only */
    public Oracle(List<Function<List<Op>, Replay>> real, double rate, long seed) {
        if (real.isEmpty()) {
            throw new IllegalArgumentException("an oracle needs a real platform");
        }
        this.real = List.copyOf(real);
        this.rate = rate;
        this.random = new SplittableRandom(seed);
    }

    /**
     * Offers a finished direct run; {@code dmesg} is the kernel log the direct run left.
     * Returns whether it was sampled.
     */
    public synchronized boolean offer(List<Op> ops, SequenceRunner.Outcome direct, String dmesg, boolean newState) {
        if (!direct.violated() && !newState && random.nextDouble() >= rate) {
            return false;
        }
        queue.add(new Sample(offered++, List.copyOf(ops), direct, dmesg));
        return true;
    }

    private void drain(Function<List<Op>, Replay> platform) {
        try {
            for (Sample s; (s = next()) != null && failure == null;) {
                Replay r = platform.apply(s.ops());
                String diff = compare(s.direct(), s.dmesg(), r);
                if (diff != null) {
                    synchronized (differences) {
                        differences.put(s.index(), new Difference(s.ops(), diff));
                    }
                }
                checked.incrementAndGet();
            }
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    private synchronized Sample next() {
        return queue.poll();
    }

    /** Null when the two runs agree, else what differs first. */
    static String compare(SequenceRunner.Outcome direct, String directDmesg, Replay real) {
        SequenceRunner.Outcome o = real.outcome();
        if (!blankBundleIds(direct.lines()).equals(blankBundleIds(o.lines()))) {
            return "lines: direct " + direct.lines() + ", shell " + o.lines();
        }
        if (!direct.statuses().equals(o.statuses())) {
            return "exit statuses: direct " + direct.statuses() + ", shell " + o.statuses();
        }
        if (!blankThrew(direct.violations()).equals(blankThrew(o.violations()))) {
            return "violations: direct " + direct.violations() + ", shell " + o.violations();
        }
        if (!Objects.equals(direct.state().key(true), o.state().key(true))) {
            return "state: direct " + direct.state().key(true) + ", shell " + o.state().key(true);
        }
        String a = blank(directDmesg);
        String b = blank(real.dmesg());
        if (!a.equals(b)) {
            return "dmesg: direct\n" + a + "\nshell\n" + b;
        }
        return null;
    }

    /**
     * A module's bundle id depends on the order its platform first loaded the module files
     * in since boot, which differs between two platforms that ran different sequences: what
     * {@code felix:start ID} or {@code felix:stop ID} names is the module both resolved it
     * from. (A bundle not found leaves the line {@code felix:start ID}, which stays a difference.)
     */
    static List<String> blankBundleIds(List<String> lines) {
        return lines.stream().map(l -> l.replaceAll("^(felix:st(?:art|op)) \\d+$", "$1 N")).toList();
    }

    /** A throw's text says where it was caught, which differs between a shell and a direct call: its line is what counts. */
    private static List<String> blankThrew(List<String> violations) {
        // an oops's address is where its platform put the module, which differs between two platforms
        return violations.stream().map(v -> BARE_ADDRESS.matcher(THREW.matcher(v).replaceAll("$1")).replaceAll("?"))
                .toList();
    }

    /**
     * dmesg without what differs between two boots of one kernel: times, addresses, pids,
     * durations, and the KVM_SET_CPUID2 warnings of the pv-lock guest's hint flips.
     */
    static String blank(String dmesg) {
        String s = TIME.matcher(dmesg).replaceAll("[T]");
        s = ADDRESS.matcher(s).replaceAll("0x?");
        s = BARE_ADDRESS.matcher(s).replaceAll("?");
        s = PID.matcher(s).replaceAll("@ PID");
        s = OOPS_PID.matcher(s).replaceAll("PID: N");
        s = CPUID_AFTER_RUN.matcher(s + "\n").replaceAll("");
        return USECS.matcher(s).replaceAll("after N usecs").strip();
    }

    /**
     * Replays every sample, each real platform on a thread of its own, and waits for them:
     * the differences found (in the order their samples were offered), or the oracle's own
     * failure thrown.
     */
    public List<Difference> finish() throws InterruptedException {
        synchronized (this) {
            if (threads.isEmpty()) {
                for (int i = 0; i < real.size(); i++) {
                    Function<List<Op>, Replay> platform = real.get(i);
                    Thread t = new Thread(() -> drain(platform), "explorer-oracle-" + i);
                    t.setDaemon(true);
                    threads.add(t);
                }
                threads.forEach(Thread::start);
            }
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failure != null) {
            throw failure;
        }
        synchronized (differences) {
            return List.copyOf(differences.values());
        }
    }

    /** The sequences sampled so far: the replays {@link #finish} makes. */
    public synchronized int sampled() {
        return (int) offered;
    }

    public int checked() {
        return checked.get();
    }

    /** The real platforms replaying side by side. */
    public int platforms() {
        return real.size();
    }

    @Override
    public void close() {
        synchronized (this) {
            queue.clear();
        }
        threads.forEach(Thread::interrupt);
    }
}
