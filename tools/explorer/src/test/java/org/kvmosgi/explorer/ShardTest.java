package org.kvmosgi.explorer;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.Test;

/**
 * {@code --shard} and {@code --merge} on ExplorerTest's simulated kernel: shards run
 * disjoint sequences whose union is the unsharded run's, and the merge of their JSON
 * reports what the unsharded run reports.
 */
public class ShardTest {
    static final ShardResult.Exploration WHAT = new ShardResult.Exploration(List.of("f"), "intel", 3, List.of("a", "b"),
            List.of("b:init"), false);

    /** One explorer run (shard of the simulated kernel), its violations minimised, as --json would write it. */
    static ShardResult run(Shard shard, Set<List<Op>> ran) throws Exception {
        Function<List<Op>, SequenceRunner.Outcome> worker = ops -> {
            ran.add(ops);
            return ExplorerTest.simulate(ops);
        };
        Explorer.Report r = new Explorer(List.of(worker), ExplorerTest.SOURCE, 3, Long.MAX_VALUE, true, System::nanoTime,
                ExplorerTest.QUIET, shard).explore();
        List<ShardResult.Finding> found = new ArrayList<>();
        for (Explorer.Violation v : r.violations()) {
            Explorer.Violation m = Explorer.minimise(v, ExplorerTest::simulate);
            found.add(new ShardResult.Finding(v.signature(), m.message(), v.ops().size(), m.lines()));
        }
        return new ShardResult(WHAT, shard, 1, r, found);
    }

    /** Written as JSON and read back, as --merge sees it. */
    static ShardResult roundTrip(ShardResult r) throws Exception {
        Path f = Files.createTempFile("shard", ".json");
        try {
            StringWriter w = new StringWriter();
            r.write(w);
            Files.writeString(f, w.toString());
            return ShardResult.read(f);
        } finally {
            Files.delete(f);
        }
    }

    @Test
    public void shardsSplitByTheFirstOperation() {
        Shard one = Shard.parse("1/3");
        Shard three = Shard.parse("3/3");
        assertTrue(one.owns(0) && one.owns(3) && !one.owns(1) && !one.owns(2));
        assertTrue(three.owns(2) && three.owns(5) && !three.owns(0));
        for (String bad : List.of("0/2", "3/2", "2", "a/b", "1/0", "/2")) {
            try {
                Shard.parse(bad);
                fail(bad);
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage(), e.getMessage().startsWith("--shard takes I/N"));
            }
        }
    }

    @Test
    public void shardsRunDisjointSequencesAndMergeToTheUnshardedRun() throws Exception {
        Set<List<Op>> all = Collections.synchronizedSet(new HashSet<>());
        ShardResult whole = run(Shard.ALL, all);
        Set<List<Op>> ran1 = Collections.synchronizedSet(new HashSet<>());
        Set<List<Op>> ran2 = Collections.synchronizedSet(new HashSet<>());
        ShardResult s1 = run(new Shard(1, 2), ran1);
        ShardResult s2 = run(new Shard(2, 2), ran2);
        ran1.remove(List.of());
        ran2.remove(List.of());
        Set<List<Op>> both = new HashSet<>(ran1);
        both.retainAll(ran2);
        assertEquals("disjoint", Set.of(), both);
        assertTrue(ran1.stream().allMatch(ops -> ops.get(0).equals(Op.load("a")) || ops.get(0).equals(Op.arm("b:init"))));
        assertTrue(ran2.stream().allMatch(ops -> ops.get(0).equals(Op.load("b"))));
        // the violation (arm b:init, load b) is in shard 1 only
        assertEquals(1, s1.findings().size());
        assertEquals(0, s2.findings().size());

        ShardResult merged = ShardResult.merge(List.of(roundTrip(s2), roundTrip(s1)), List.of("s2.json", "s1.json"));
        Explorer.Report m = merged.report();
        Explorer.Report w = whole.report();
        assertEquals(w.reached(), m.reached());
        assertEquals(w.states(), m.states());
        assertEquals(whole.findings(), merged.findings());
        assertEquals(w.levels().size(), m.levels().size());
        for (int i = 0; i < w.levels().size(); i++) {
            assertEquals(w.levels().get(i).newStates(), m.levels().get(i).newStates());
            assertEquals(w.levels().get(i).violations(), m.levels().get(i).violations());
            assertTrue(m.levels().get(i).complete());
        }
        assertEquals(s1.report().sequences() + s2.report().sequences(), m.sequences());
        assertTrue("each shard memoises apart", m.sequences() >= w.sequences());
        assertEquals(w.depthReached(), m.depthReached());
        assertEquals(2, merged.workers());
    }

    /**
     * A kernel whose module k registers /dev/kvm and whose VMs each raise k's refcount, as
     * kvm_intel's do: unbounded, {@code vmfd create} makes a new state at every level.
     */
    static SequenceRunner.Outcome withVms(List<Op> ops) {
        boolean loaded = false;
        List<Long> vms = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (Op op : ops) {
            lines.add(op.line(vms.size() + 3));
            switch (op.kind()) {
                case LOAD -> loaded = true;
                case UNLOAD -> loaded &= !vms.isEmpty();
                case VM_CREATE -> vms.add(Long.parseLong(op.arg()));
                case VM_DESTROY -> vms.remove(vms.size() - 1);
                default -> {
                }
            }
        }
        java.util.TreeSet<String> mods = new java.util.TreeSet<>(loaded ? List.of("k/" + 2 * vms.size()) : List.of());
        java.util.TreeSet<String> dev = new java.util.TreeSet<>(loaded ? List.of("kvm") : List.of());
        return new SequenceRunner.Outcome(lines, List.of(), new State(mods, "", vms, dev,
                new java.util.TreeSet<>(loaded || ops.isEmpty() ? List.of() : List.of("k"))));
    }

    private static ShardResult runWithVms(Shard shard, int maxVms, int depth) throws Exception {
        OpSource source = new OpSource(List.of("k"), List.of(), List.of(0L, 1L), List.of(), false, null, false, maxVms);
        Explorer.Report r = new Explorer(List.of(ShardTest::withVms), source, depth, Long.MAX_VALUE, true,
                System::nanoTime, ExplorerTest.QUIET, shard).explore();
        return new ShardResult(new ShardResult.Exploration(List.of("f"), "intel", depth, List.of("k"), List.of(),
                false, maxVms), shard, 1, r, List.of());
    }

    /**
     * The bound on open VMs ends the vmfd create chain (no state has more VMs, the levels
     * run out of new states), keeps every state below it (the key still holds each VM), and
     * two shards merged still report the unsharded run; shards of different bounds are not one exploration.
     */
    @Test
    public void theBoundOnOpenVmsEndsTheChainAndShardsStillMergeToTheUnshardedRun() throws Exception {
        ShardResult unbounded = runWithVms(Shard.ALL, 6, 6);
        ShardResult whole = runWithVms(Shard.ALL, 2, 6);
        assertTrue(whole.report().finished());
        assertTrue(whole.report().reached().keySet().stream().allMatch(k -> !k.contains("[0, 0, 0]")));
        assertTrue(whole.report().reached().containsKey("[k/4]||[1, 0]|[kvm]|[]"));
        unbounded.report().reached().forEach((k, d) -> {
            if (k.split("\\|")[2].split(",").length <= 2) {
                assertEquals(k, d, whole.report().reached().get(k));
            }
        });
        assertTrue(unbounded.report().states() > whole.report().states());

        ShardResult merged = ShardResult.merge(List.of(roundTrip(runWithVms(new Shard(2, 2), 2, 6)),
                roundTrip(runWithVms(new Shard(1, 2), 2, 6))), List.of("s2.json", "s1.json"));
        assertEquals(whole.report().reached(), merged.report().reached());
        assertEquals(whole.report().depthReached(), merged.report().depthReached());
        assertEquals(2, merged.exploration().maxVms());
        assertRefused("not shards of one exploration", List.of(runWithVms(new Shard(1, 2), 2, 6),
                runWithVms(new Shard(2, 2), 3, 6)));
    }

    @Test
    public void theSameViolationInTwoShardsIsKeptOnceWithTheShortestReproducer() {
        ShardResult.Finding longer = new ShardResult.Finding("leak #", "leak 2", 2, List.of("modprobe a", "modprobe b"));
        ShardResult.Finding shorter = new ShardResult.Finding("leak #", "leak 1", 2, List.of("modprobe b"));
        ShardResult.Finding other = new ShardResult.Finding("oops", "oops", 1, List.of("rmmod a"));
        ShardResult merged = ShardResult.merge(List.of(result(new Shard(1, 2), longer), result(new Shard(2, 2), shorter,
                other)), List.of("1", "2"));
        assertEquals(List.of(other, shorter), merged.findings());
        assertEquals(List.of(1, 1), merged.report().levels().stream().map(Explorer.Level::violations).toList());
    }

    @Test
    public void aMergeOfShardsThatDoNotMakeOneExplorationIsRefused() {
        ShardResult one = result(new Shard(1, 2));
        ShardResult two = result(new Shard(2, 2));
        ShardResult otherHost = new ShardResult(new ShardResult.Exploration(List.of("f"), "amd", 3, List.of("a", "b"),
                List.of("b:init"), false), new Shard(2, 2), 1, two.report(), List.of());
        assertRefused("shard 2/2 is missing", List.of(one));
        assertRefused("shard 1/2 is given twice", List.of(one, one));
        assertRefused("not shards of one exploration", List.of(one, otherHost));
        assertRefused("not shards of one exploration", List.of(one, result(new Shard(1, 1))));
    }

    @Test
    public void aFileThatIsNotAResultIsOneClearError() throws Exception {
        Path f = Files.createTempFile("shard", ".json");
        try {
            Files.writeString(f, "{\"format\": 1, \"exploration\": 3}");
            assertRefused(f + ": not an explorer result", f);
            Files.writeString(f, "not json");
            assertRefused(f + ": not an explorer result", f);
            Files.writeString(f, "{}");
            assertRefused(f + ": not an explorer result of format 1", f);
        } finally {
            Files.delete(f);
        }
        assertRefused("cannot read " + f, f);
    }

    @Test
    public void jsonOptions() {
        assertEquals(Options.STDOUT, Options.parse("--json", "--depth", "2").json());
        assertEquals("r.json", Options.parse("--json", "r.json").json());
        assertEquals(null, Options.parse().json());
        assertEquals(List.of(Path.of("a"), Path.of("b")), Options.parse("--merge", "a", "b", "--json").merge());
        assertEquals(new Shard(2, 4), Options.parse("--shard", "2/4").shard());
        assertEquals(OpSource.DEFAULT_MAX_VMS, Options.parse().vms());
        assertEquals(5, Options.parse("--vms", "5").vms());
        try {
            Options.parse("--merge", "--json");
            fail();
        } catch (IllegalArgumentException e) {
            assertEquals("option --merge needs the shards' JSON files", e.getMessage());
        }
    }

    private static ShardResult result(Shard shard, ShardResult.Finding... found) {
        List<Explorer.Level> levels = List.of(new Explorer.Level(1, 1, 0, 0, 1, true),
                new Explorer.Level(2, 1, 0, 0, 1, true));
        return new ShardResult(WHAT, shard, 1, new Explorer.Report(levels, List.of(), 1, 2, 2,
                java.util.Map.of("s0", 0), true), List.of(found));
    }

    private static void assertRefused(String message, List<ShardResult> shards) {
        try {
            ShardResult.merge(shards, shards.stream().map(s -> "shard" + s.shard().index() + ".json").toList());
            fail(message);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(message));
        }
    }

    private static void assertRefused(String message, Path file) {
        try {
            ShardResult.read(file);
            fail(message);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith(message));
            assertFalse(e.getMessage(), e.getMessage().contains("Exception"));
        }
    }
}
