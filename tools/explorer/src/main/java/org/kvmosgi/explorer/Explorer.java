package org.kvmosgi.explorer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Breadth-first exploration of every sequence of up to {@code maxDepth} operations, each
 * run from a fresh kernel by one of the workers (one platform each, one thread each).
 * A sequence whose state was reached before by a shorter or earlier sequence is not
 * extended (memoisation on {@link State#key}); a sequence that violates a rule is not
 * extended either. Breadth first means the first sequence found for a violation is one
 * of the shortest; {@link #minimise} then drops every operation it does not need.
 */
public final class Explorer {
    /** A violation, by its signature (the message with numbers blanked), with the sequence that shows it. */
    public record Violation(String signature, String message, List<Op> ops, List<String> lines) {}

    /** One depth level's figures. */
    public record Level(int depth, int sequences, int newStates, int violations, long nanos, boolean complete) {}

    /**
     * @param reached each distinct state's key with the depth it was first reached at (0: the fresh kernel)
     * @param finished whether the search ended by itself (depth or states exhausted), not at the deadline
     */
    public record Report(List<Level> levels, List<Violation> violations, int states, int sequences, long nanos,
            Map<String, Integer> reached, boolean finished) {
        /** The deepest level explored completely. */
        public int depthReached() {
            int d = 0;
            for (Level l : levels) {
                if (l.complete()) {
                    d = l.depth();
                }
            }
            return d;
        }
    }

    /** Told about each finished sequence, for a progress bar. */
    public interface Progress {
        void level(int depth, int total);

        void done(int finished, int violations);
    }

    /**
     * A state to extend, by the sequence that reached it first. {@code sleep}: operations
     * not to run from it, because a sibling sequence already ran them in the other order
     * (sleep sets); {@code only}: when not null, the only operations left to run from it
     * (a state reached again with a smaller sleep set).
     */
    private record Node(List<Op> ops, State state, Set<Op> sleep, Set<Op> only) {}

    /** Whether two operations commute: either order from any state leads to the same state, with the same checks. */
    public interface Independence {
        boolean independent(Op a, Op b);
    }

    /** A sequence to run; {@code parent} is the frontier node it extends. */
    private record Task(int index, List<Op> ops, int parent) {}

    private record Done(int index, List<Op> ops, SequenceRunner.Outcome outcome) {}

    private final List<Function<List<Op>, SequenceRunner.Outcome>> workers;
    private final OpSource source;
    private final int maxDepth;
    private final long deadline;
    private final boolean withGone;
    private final LongSupplier clock;
    private final Progress progress;
    private final Shard shard;
    private final Oracle oracle;
    private Independence independence = (a, b) -> false;
    /** The sleep set each reached state was extended with (or is to be), by key. */
    private final Map<String, Set<Op>> slept = new java.util.HashMap<>();
    private long sleepCuts;
    private long knownStateCuts;
    /** The CPU time the worker threads used, for a figure the machine's load does not change. */
    private final java.util.concurrent.atomic.AtomicLong cpuNanos = new java.util.concurrent.atomic.AtomicLong();

    /**
     * @param workers one per platform; each is called from one thread only
     * @param deadline the clock value after which no new sequence starts
     * @param withGone whether the modules that went count in the state (see {@link State})
     */
    public Explorer(List<Function<List<Op>, SequenceRunner.Outcome>> workers, OpSource source, int maxDepth,
            long deadline, boolean withGone, LongSupplier clock, Progress progress) {
        this(workers, source, maxDepth, deadline, withGone, clock, progress, Shard.ALL);
    }

    /** @param shard the part of the sequence space to explore (see {@link Shard}) */
    public Explorer(List<Function<List<Op>, SequenceRunner.Outcome>> workers, OpSource source, int maxDepth,
            long deadline, boolean withGone, LongSupplier clock, Progress progress, Shard shard) {
        this(workers, source, maxDepth, deadline, withGone, clock, progress, shard, null);
    }

    /** @param oracle told about every finished sequence, in order (null: none) */
    public Explorer(List<Function<List<Op>, SequenceRunner.Outcome>> workers, OpSource source, int maxDepth,
            long deadline, boolean withGone, LongSupplier clock, Progress progress, Shard shard, Oracle oracle) {
        this.oracle = oracle;
        this.shard = shard;
        this.workers = List.copyOf(workers);
        this.source = source;
        this.maxDepth = maxDepth;
        this.deadline = deadline;
        this.withGone = withGone;
        this.clock = clock;
        this.progress = progress;
    }

    /** Partial-order reduction: sequences that only reorder commuting operations are run once. */
    public Explorer withSleepSets(Independence independence) {
        this.independence = independence;
        return this;
    }

    /**
     * A known state reached again with sleep set {@code now}: what its first visit slept and
     * this one does not must still be run from it. A state still waiting in this level's
     * frontier ({@code waiting}: its index in {@code next}, by key) just sleeps less; one
     * extended already is extended again by those operations only.
     */
    private void wakeUp(String key, State state, List<Op> ops, Set<Op> now, List<Node> next,
            Map<String, Integer> waiting) {
        Set<Op> was = slept.get(key);
        if (was == null || now.containsAll(was)) {
            return;
        }
        Set<Op> both = new java.util.LinkedHashSet<>(was);
        both.retainAll(now);
        slept.put(key, both);
        Integer i = waiting.get(key);
        if (i != null) {
            Node n = next.get(i);
            next.set(i, new Node(n.ops(), n.state(), both, null));
            return;
        }
        Set<Op> woken = new java.util.LinkedHashSet<>(was);
        woken.removeAll(now);
        next.add(new Node(ops, state, both, woken));
    }

    /** Sequences not run because a sleep set held their last operation. */
    public long sleepCuts() {
        return sleepCuts;
    }

    /** Sequences run that reached a state reached before, and so were not extended. */
    public long knownStateCuts() {
        return knownStateCuts;
    }

    public Report explore() throws InterruptedException {
        long start = clock.getAsLong();
        SequenceRunner.Outcome empty = workers.get(0).apply(List.of());
        Map<String, Integer> seen = new LinkedHashMap<>();
        seen.put(empty.state().key(withGone), 0);
        List<Node> frontier = List.of(new Node(List.of(), empty.state(), Set.of(), null));
        slept.put(empty.state().key(withGone), Set.of());
        Map<String, Violation> violations = new LinkedHashMap<>();
        List<Level> levels = new ArrayList<>();
        int sequences = 0;
        boolean finished = true;
        for (int depth = 1; depth <= maxDepth && !frontier.isEmpty(); depth++) {
            if (clock.getAsLong() >= deadline) {
                finished = false;
                break;
            }
            long levelStart = clock.getAsLong();
            List<Task> tasks = new ArrayList<>();
            List<Set<Op>> sleeps = new ArrayList<>();
            for (int parent = 0; parent < frontier.size(); parent++) {
                Node n = frontier.get(parent);
                List<Op> applicable = source.applicable(n.state());
                Set<Op> before = new java.util.LinkedHashSet<>(n.sleep());
                for (int i = 0; i < applicable.size(); i++) {
                    Op op = applicable.get(i);
                    boolean run = (depth > 1 || shard.owns(i)) && !n.sleep().contains(op)
                            && (n.only() == null || n.only().contains(op));
                    if (n.sleep().contains(op)) {
                        sleepCuts++;
                    }
                    if (run) {
                        List<Op> ops = new ArrayList<>(n.ops());
                        ops.add(op);
                        tasks.add(new Task(tasks.size(), List.copyOf(ops), parent));
                        Set<Op> sleep = new java.util.LinkedHashSet<>();
                        for (Op b : before) {
                            if (independence.independent(b, op)) {
                                sleep.add(b);
                            }
                        }
                        sleeps.add(sleep);
                    }
                    // another shard runs it, or it ran before with this node's state: either way explored
                    before.add(op);
                }
            }
            progress.level(depth, tasks.size());
            List<Done> done = runAll(tasks, frontier, violations.size());
            done.sort((a, b) -> Integer.compare(a.index(), b.index()));
            List<Node> next = new ArrayList<>();
            Map<String, Integer> waiting = new java.util.HashMap<>();
            int newStates = 0;
            int levelViolations = 0;
            for (Done d : done) {
                SequenceRunner.Outcome o = d.outcome();
                String key = o.state().key(withGone);
                boolean isNew = !o.violated() && !seen.containsKey(key);
                if (oracle != null) {
                    oracle.offer(d.ops(), o, o.dmesg(), isNew);
                }
                if (o.violated()) {
                    for (String v : o.violations()) {
                        if (violations.putIfAbsent(signature(v), new Violation(signature(v), v, d.ops(), o.lines()))
                                == null) {
                            levelViolations++;
                        }
                    }
                } else if (seen.putIfAbsent(key, depth) == null) {
                    newStates++;
                    Set<Op> sleep = sleeps.get(d.index());
                    slept.put(key, sleep);
                    waiting.put(key, next.size());
                    next.add(new Node(d.ops(), o.state(), sleep, null));
                } else {
                    knownStateCuts++;
                    wakeUp(key, o.state(), d.ops(), sleeps.get(d.index()), next, waiting);
                }
            }
            sequences += done.size();
            levels.add(new Level(depth, done.size(), newStates, levelViolations, clock.getAsLong() - levelStart,
                    done.size() == tasks.size()));
            if (done.size() < tasks.size()) {
                finished = false;
                break;
            }
            frontier = next;
        }
        return new Report(levels, new ArrayList<>(violations.values()), seen.size(), sequences,
                clock.getAsLong() - start, seen, finished);
    }

    /**
     * Runs the tasks on the workers, one thread each, until done or past the deadline. A
     * worker takes all the extensions of one node at a time, those ending in an arming
     * first, then those likely to change nothing, then those whose step can be undone, and
     * those that leave the node for good (an unload that goes, a parameter's write, the
     * VMM's and the framework's steps) last, so that a worker that can go back to the node
     * cheaply (see {@link DirectRunner}) finds itself there; the results are put back in the
     * tasks' order.
     */
    private List<Done> runAll(List<Task> tasks, List<Node> parents, int violationsSoFar) throws InterruptedException {
        Map<Integer, List<Task>> byParent = new LinkedHashMap<>();
        for (Task t : tasks) {
            byParent.computeIfAbsent(t.parent(), p -> new ArrayList<>()).add(t);
        }
        BlockingQueue<List<Task>> queue = new LinkedBlockingQueue<>();
        for (List<Task> siblings : byParent.values()) {
            List<Task> ordered = new ArrayList<>(siblings);
            State parent = parents.get(siblings.get(0).parent()).state();
            ordered.sort(java.util.Comparator.comparingInt(t -> lastOp(t).kind() == Op.Kind.ARM ? 0
                    : likelyUnchanged(lastOp(t), parent) ? 1 : undoable(lastOp(t)) ? 2 : 3));
            queue.add(ordered);
        }
        List<Done> done = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger finished = new AtomicInteger();
        AtomicInteger violated = new AtomicInteger(violationsSoFar);
        CountDownLatch latch = new CountDownLatch(workers.size());
        List<Thread> threads = new ArrayList<>();
        RuntimeException[] failure = new RuntimeException[1];
        for (int w = 0; w < workers.size(); w++) {
            Function<List<Op>, SequenceRunner.Outcome> worker = workers.get(w);
            Thread t = new Thread(() -> {
                long cpuStart = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                try {
                    List<Task> siblings;
                    while (clock.getAsLong() < deadline && (siblings = queue.poll()) != null) {
                        for (Task task : siblings) {
                            if (clock.getAsLong() >= deadline) {
                                break;
                            }
                            SequenceRunner.Outcome o = worker.apply(task.ops());
                            done.add(new Done(task.index(), task.ops(), o));
                            progress.done(finished.incrementAndGet(), o.violated() ? violated.incrementAndGet()
                                    : violated.get());
                        }
                    }
                } catch (RuntimeException e) {
                    synchronized (failure) {
                        failure[0] = e;
                    }
                    queue.clear();
                } finally {
                    cpuNanos.addAndGet(java.lang.management.ManagementFactory.getThreadMXBean()
                            .getCurrentThreadCpuTime() - cpuStart);
                    latch.countDown();
                }
            }, "explorer-worker-" + w);
            threads.add(t);
            t.start();
        }
        latch.await();
        if (failure[0] != null) {
            throw failure[0];
        }
        return new ArrayList<>(done);
    }

    /** The CPU time the workers' threads used in {@link #explore} (the first run from a fresh kernel aside). */
    public long cpuNanos() {
        return cpuNanos.get();
    }

    /**
     * Whether {@code op} from {@code s} is likely to leave the kernel as it is: a modprobe of
     * a loaded module, an rmmod of one not loaded or in use, a VM creation without /dev/kvm.
     * Only the order of siblings depends on it.
     */
    static boolean likelyUnchanged(Op op, State s) {
        return switch (op.kind()) {
            case LOAD -> s.loadedNames().contains(op.arg());
            case UNLOAD, FORCE_UNLOAD -> s.loaded().stream().noneMatch(l -> l.equals(op.arg() + "/0"));
            case VM_CREATE -> !s.devices().contains("kvm");
            default -> false;
        };
    }

    /** Whether {@link DirectRunner} can undo {@code op}'s step when it changed the kernel: a load or a VM step. */
    static boolean undoable(Op op) {
        return switch (op.kind()) {
            case LOAD, LOAD_WITH, VM_CREATE, VM_DESTROY -> true;
            default -> false;
        };
    }

    private static Op lastOp(Task t) {
        return t.ops().get(t.ops().size() - 1);
    }

    /** A violation's kind: its message with numbers blanked (refcounts, fds, sizes differ between paths). */
    static String signature(String message) {
        return message.replaceAll("\\d+", "#");
    }

    /**
     * Drops each operation the violation does not need, one at a time, keeping a drop when
     * the shorter sequence still shows a violation of the same signature.
     */
    public static Violation minimise(Violation v, Function<List<Op>, SequenceRunner.Outcome> worker) {
        List<Op> ops = new ArrayList<>(v.ops());
        List<String> lines = v.lines();
        String message = v.message();
        for (int i = 0; i < ops.size() && ops.size() > 1;) {
            List<Op> shorter = new ArrayList<>(ops);
            shorter.remove(i);
            SequenceRunner.Outcome o = worker.apply(shorter);
            String same = o.violations().stream().filter(m -> signature(m).equals(v.signature())).findFirst()
                    .orElse(null);
            if (same != null) {
                ops = shorter;
                lines = o.lines();
                message = same;
            } else {
                i++;
            }
        }
        return new Violation(v.signature(), message, List.copyOf(ops), lines);
    }
}
