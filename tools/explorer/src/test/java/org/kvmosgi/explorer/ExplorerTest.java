package org.kvmosgi.explorer;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.Test;

/**
 * The search on a simulated kernel: modules a and b load independently; armed point
 * b:init makes b's next load fail and, like a careless init, leaves a leak.
 */
public class ExplorerTest {
    static final OpSource SOURCE = new OpSource(List.of("a", "b"), List.of("b:init"), List.of(0L));

    /** The simulated kernel: runs a sequence from scratch, as the real worker does after kreset. */
    static SequenceRunner.Outcome simulate(List<Op> ops) {
        Set<String> loaded = new TreeSet<>();
        Set<String> gone = new TreeSet<>();
        String armed = "";
        List<String> lines = new ArrayList<>();
        for (Op op : ops) {
            lines.add(op.line(-1));
            List<String> violations = new ArrayList<>();
            switch (op.kind()) {
                case ARM -> armed = op.arg();
                case LOAD -> {
                    if (op.arg().equals("b") && armed.equals("b:init")) {
                        armed = "";
                        gone.add("b");
                        violations.add("kmemleak: 1 suspected leaks");
                    } else {
                        loaded.add(op.arg());
                        gone.remove(op.arg());
                    }
                }
                case UNLOAD -> {
                    loaded.remove(op.arg());
                    gone.add(op.arg());
                }
                default -> {
                }
            }
            State s = new State(new TreeSet<>(loaded.stream().map(m -> m + "/0").toList()), armed, List.of(),
                    new TreeSet<>(), new TreeSet<>(gone));
            if (!violations.isEmpty()) {
                return new SequenceRunner.Outcome(lines, violations, s);
            }
        }
        return new SequenceRunner.Outcome(lines, List.of(), new State(new TreeSet<>(loaded.stream().map(m -> m + "/0")
                .toList()), armed, List.of(), new TreeSet<>(), new TreeSet<>(gone)));
    }

    static final Explorer.Progress QUIET = new Explorer.Progress() {
        @Override
        public void level(int depth, int total) {
        }

        @Override
        public void done(int finished, int violations) {
        }
    };

    static Explorer explorer(int depth, List<Function<List<Op>, SequenceRunner.Outcome>> workers, boolean withGone) {
        return new Explorer(workers, SOURCE, depth, Long.MAX_VALUE, withGone, System::nanoTime, QUIET);
    }

    @Test
    public void findsTheViolationWithAShortestSequence() throws Exception {
        Explorer.Report r = explorer(3, List.of(ExplorerTest::simulate, ExplorerTest::simulate), true).explore();
        assertEquals(1, r.violations().size());
        Explorer.Violation v = r.violations().get(0);
        assertEquals(List.of(Op.arm("b:init"), Op.load("b")), v.ops());
        assertEquals(List.of("failfn inject b:init", "modprobe b"), v.lines());
        assertEquals(3, r.depthReached());
    }

    @Test
    public void equivalentStatesAreExtendedOnce() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        Function<List<Op>, SequenceRunner.Outcome> counting = ops -> {
            runs.incrementAndGet();
            return simulate(ops);
        };
        Explorer.Report r = explorer(2, List.of(counting), false).explore();
        // depth 1 from {}: load a, load b, arm -> 3 states; depth 2: a:{unload a, load b, arm},
        // b:{load a, unload b, arm}, armed:{load a, load b (violation)} -> load a+b reached twice
        assertEquals(3, r.levels().get(0).sequences());
        assertEquals(8, r.levels().get(1).sequences());
        assertEquals(1 + 3 + 8, runs.get());
        int statesWithoutMemo = 1 + 3 + 8 - 1;
        assertTrue("memoised: " + r.states(), r.states() < statesWithoutMemo);
    }

    @Test
    public void minimiseDropsWhatTheViolationDoesNotNeed() {
        Explorer.Violation long3 = new Explorer.Violation(Explorer.signature("kmemleak: 1 suspected leaks"),
                "kmemleak: 1 suspected leaks", List.of(Op.load("a"), Op.arm("b:init"), Op.load("b")), List.of());
        Explorer.Violation m = Explorer.minimise(long3, ExplorerTest::simulate);
        assertEquals(List.of(Op.arm("b:init"), Op.load("b")), m.ops());
    }

    @Test
    public void theDeadlineCutsALevelAndSaysSo() throws Exception {
        AtomicLong now = new AtomicLong();
        Function<List<Op>, SequenceRunner.Outcome> slow = ops -> {
            now.addAndGet(10);
            return simulate(ops);
        };
        Explorer.Report r = new Explorer(List.of(slow), SOURCE, 5, 45, true, now::get, QUIET).explore();
        Explorer.Level last = r.levels().get(r.levels().size() - 1);
        assertFalse(last.complete());
        assertEquals(r.levels().size() - 1, r.depthReached());
    }

    @Test
    public void signaturesIgnoreNumbers() {
        assertEquals(Explorer.signature("refcount: kvm has 2, expected 1"),
                Explorer.signature("refcount: kvm has 3, expected 2"));
    }

    /**
     * a and b commute (independent modules): with sleep sets "load b; load a" is not run
     * after "load a; load b" was, and every state and the violation are still found at the
     * same depths (withGone off: the simulated gone set remembers order-free facts only).
     */
    @Test
    public void sleepSetsRunEachReorderingOnceAndReachTheSameStates() throws Exception {
        Explorer.Independence modules = (x, y) -> !x.module().isEmpty() && !y.module().isEmpty()
                && !x.module().equals(y.module());
        AtomicInteger plain = new AtomicInteger();
        AtomicInteger reduced = new AtomicInteger();
        Explorer.Report all = explorer(4, List.of(ops -> {
            plain.incrementAndGet();
            return simulate(ops);
        }), true).explore();
        Explorer e = explorer(4, List.of(ops -> {
            reduced.incrementAndGet();
            return simulate(ops);
        }), true).withSleepSets(modules);
        Explorer.Report r = e.explore();
        assertEquals(all.reached(), r.reached());
        assertEquals(all.violations().stream().map(Explorer.Violation::ops).toList(),
                r.violations().stream().map(Explorer.Violation::ops).toList());
        assertTrue("cut " + e.sleepCuts(), e.sleepCuts() > 0);
        assertEquals(plain.get() - e.sleepCuts(), reduced.get());
    }
}
