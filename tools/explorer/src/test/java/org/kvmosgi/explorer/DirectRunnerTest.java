package org.kvmosgi.explorer;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.Test;

/**
 * The direct runner on a simulated platform: a sequence's prefix is replayed unchecked
 * from a reset (or not at all when the platform is there already), its last step checked,
 * and the outcome is what the shell runner's would be.
 */
public class DirectRunnerTest {
    /** Modules load and unload; m:init armed makes m's load fail once; VM fds count from 10. */
    static class Fake implements Platform {
        final List<String> calls = new ArrayList<>();
        final SortedSet<String> loaded = new TreeSet<>();
        String armed;
        long times;
        int nextFd = 10;
        List<Integer> fds = new ArrayList<>();

        @Override
        public void reset() {
            calls.add("reset");
            loaded.clear();
            armed = null;
            times = 0;
            fds.clear();
        }

        @Override
        public Step apply(Op op, int newestVmFd) {
            calls.add(op.line(newestVmFd));
            switch (op.kind()) {
                case LOAD -> {
                    if (op.arg().equals(armed) && times > 0) {
                        times = 0;
                        return new Step(1, "modprobe: ERROR: could not insert 'm': Invalid argument", false, -1);
                    }
                    loaded.add(op.arg());
                }
                case UNLOAD -> loaded.remove(op.arg());
                case ARM -> {
                    armed = op.arg().substring(0, op.arg().indexOf(':'));
                    times = 1;
                }
                case VM_CREATE -> {
                    fds.add(nextFd);
                    return new Step(0, "", false, nextFd++);
                }
                case VM_DESTROY -> fds.remove(Integer.valueOf(newestVmFd));
            }
            return new Step(0, "", false, -1);
        }

        @Override
        public void disarm() {
            calls.add("failfn clear");
            armed = null;
        }

        @Override
        public long failTimes() {
            return times;
        }

        @Override
        public Check check() {
            calls.add("check");
            SortedSet<String> l = new TreeSet<>();
            loaded.forEach(m -> l.add(m + "/0"));
            return new Check(List.of(), l, new TreeSet<>(List.of("kvm")));
        }

        @Override
        public List<String> whyVmContradictions(long type) {
            calls.add("why vm " + type);
            return List.of();
        }

        @Override
        public List<java.util.Set<String>> moduleGroups() {
            return List.of();
        }

        @Override
        public String dmesg() {
            return "";
        }

        @Override
        public String read(String path) {
            return "";
        }
    }

    @Test
    public void aRawStartOfAModuleWithoutABundleRunsNothingAndFails() {
        Fake f = new Fake();
        SequenceRunner.Outcome o = new DirectRunner(f).run(List.of(Op.rawStart("m")));
        assertEquals(List.of("reset", "check"), f.calls);
        assertEquals(List.of("felix:start ID"), o.lines());
        assertEquals(List.of(1), o.statuses());
    }

    @Test
    public void replaysThePrefixUncheckedAndChecksTheLastStep() {
        Fake f = new Fake();
        DirectRunner r = new DirectRunner(f);
        SequenceRunner.Outcome o = r.run(List.of(Op.load("a"), Op.vmCreate(0), Op.load("b")));
        assertEquals(List.of("reset", "modprobe a", "vmfd create 0", "modprobe b", "check"), f.calls);
        assertEquals(List.of("modprobe a", "vmfd create 0", "modprobe b"), o.lines());
        assertEquals(List.of(0, 0, 0), o.statuses());
        assertEquals("[a/0, b/0]||[0]|[kvm]|[]", o.state().key(true));
        assertEquals(2, r.replayed());
    }

    @Test
    public void aSequenceExtendingTheLastOneRunsOnlyItsLastStep() {
        Fake f = new Fake();
        DirectRunner r = new DirectRunner(f);
        r.run(List.of(Op.vmCreate(0)));
        f.calls.clear();
        SequenceRunner.Outcome o = r.run(List.of(Op.vmCreate(0), Op.vmDestroy()));
        assertEquals(List.of("vmfd destroy 10", "check"), f.calls);
        assertEquals(List.of("vmfd create 0", "vmfd destroy 10"), o.lines());
        assertEquals(1, r.reused());
        f.calls.clear();
        r.run(List.of(Op.vmCreate(0), Op.load("a")));
        assertEquals("a sibling starts again from a reset", "reset", f.calls.get(0));
    }

    @Test
    public void anInjectionThatFiredIsSpentAndAnIgnoredOneIsAViolation() {
        Fake f = new Fake();
        DirectRunner r = new DirectRunner(f);
        SequenceRunner.Outcome failed = r.run(List.of(Op.arm("m:init"), Op.load("m")));
        assertEquals(List.of(0, 1), failed.statuses());
        assertEquals("", failed.state().armed());
        assertEquals("[]||[]|[kvm]|[m]", failed.state().key(true));
        assertTrue(failed.violations().isEmpty());

        // a platform whose load ignores the fired point
        Fake careless = new Fake() {
            @Override
            public Step apply(Op op, int fd) {
                if (op.kind() == Op.Kind.LOAD && times > 0) {
                    times = 0;
                }
                return super.apply(op, fd);
            }
        };
        SequenceRunner.Outcome ignored = new DirectRunner(careless).run(List.of(Op.arm("m:init"), Op.load("m")));
        assertEquals(List.of("failfn: m:init failed (injected), yet `modprobe m` succeeded: the error was ignored"),
                ignored.violations());
    }

    /**
     * The unified PowerPC kvm loads without a built-in implementation whose init failed and
     * says so: a failure it reported is the layout's rule, not an ignored error; a load that
     * swallows it without a word still is one.
     */
    @Test
    public void aBuiltInImplementationTheLoadSaysItRunsWithoutIsNoIgnoredError() {
        class Unified extends Fake {
            final StringBuilder log = new StringBuilder("[    0.100000] kvm: Book3S PR unavailable (error -5), running HV only\n");
            final boolean says;

            Unified(boolean says) {
                this.says = says;
            }

            @Override
            public Step apply(Op op, int fd) {
                if (op.kind() == Op.Kind.LOAD && times > 0) {
                    times = 0;
                    if (says) {
                        log.append("[    0.200000] kvm: Book3S HV unavailable (error -22), running PR only\n");
                    }
                }
                return super.apply(op, fd);
            }

            @Override
            public String dmesg() {
                return log.toString();
            }
        }
        List<Op> ops = List.of(Op.arm("kvm:kvmhv_nested_init"), Op.load("kvm"));
        assertEquals(List.of(), new DirectRunner(new Unified(true)).run(ops).violations());
        assertEquals("an earlier load's word does not explain this one", List.of("failfn: kvm:kvmhv_nested_init failed "
                + "(injected), yet `modprobe kvm` succeeded: the error was ignored"),
                new DirectRunner(new Unified(false)).run(ops).violations());
        assertEquals(2, DirectRunner.builtInUnavailable(new Unified(true).log
                + "[    0.200000] kvm: Book3S HV unavailable (error -22), running PR only\n"));
    }

    @Test
    public void siblingArmingsRunFromOneCheckOfTheirPrefixAndAreUndoneByDisarming() {
        Fake f = new Fake();
        DirectRunner r = new DirectRunner(f);
        SequenceRunner.Outcome first = r.run(List.of(Op.load("a"), Op.arm("m:init")));
        SequenceRunner.Outcome second = r.run(List.of(Op.load("a"), Op.arm("m:exit")));
        SequenceRunner.Outcome load = r.run(List.of(Op.load("a"), Op.load("m")));
        assertEquals(List.of("reset", "modprobe a", "check", "failfn inject m:init", "failfn clear",
                "failfn inject m:exit", "failfn clear", "modprobe m", "check"), f.calls);
        assertEquals("[a/0]|m:init|[]|[kvm]|[]", first.state().key(true));
        assertEquals(List.of("modprobe a", "failfn inject m:exit"), second.lines());
        assertEquals("[a/0]|m:exit|[]|[kvm]|[]", second.state().key(true));
        assertEquals("[a/0, m/0]||[]|[kvm]|[]", load.state().key(true));
        assertEquals(2, r.armings());
    }

    @Test
    public void aSequenceExtendingAnArmingKeepsThePointArmed() {
        Fake f = new Fake();
        DirectRunner r = new DirectRunner(f);
        r.run(List.of(Op.arm("m:init")));
        SequenceRunner.Outcome o = r.run(List.of(Op.arm("m:init"), Op.load("m")));
        assertEquals(List.of(0, 1), o.statuses());
        assertEquals("[]||[]|[kvm]|[m]", o.state().key(true));
    }

    /**
     * A fake whose mark is all a check could read: the modules, the armed point, its times, the
     * open VMs; a VM gets the lowest free fd, as open(2) gives.
     */
    static class Marked extends Fake {
        @Override
        public Step apply(Op op, int newestVmFd) {
            if (op.kind() == Op.Kind.VM_CREATE) {
                calls.add(op.line(newestVmFd));
                int fd = 10;
                while (fds.contains(fd)) {
                    fd++;
                }
                fds.add(fd);
                return new Step(0, "", false, fd);
            }
            return super.apply(op, newestVmFd);
        }

        @Override
        public Object mark() {
            return List.of(new TreeSet<>(loaded), String.valueOf(armed), times, new ArrayList<>(fds));
        }

        @Override
        public String read(String path) {
            StringBuilder out = new StringBuilder();
            if (path.equals("/proc/modules")) {
                loaded.forEach(m -> out.append(m).append(" 4096 0 - Live 0xffffffffc0000000\n"));
            }
            return out.toString();
        }

        @Override
        public Check check() {
            Check c = super.check();
            return new Check(c.violations(), c.loaded(), c.devices(), mark());
        }
    }

    @Test
    public void aSiblingRunsWhereAStepThatChangedNothingLeftThePlatform() {
        Marked f = new Marked();
        DirectRunner r = new DirectRunner(f);
        r.run(List.of(Op.load("a"), Op.load("a")));
        SequenceRunner.Outcome o = r.run(List.of(Op.load("a"), Op.load("b")));
        assertEquals("no reset between the two", List.of("reset", "modprobe a", "modprobe a", "check", "modprobe b",
                "check"), f.calls);
        assertEquals(List.of("modprobe a", "modprobe b"), o.lines());
        assertEquals("[a/0, b/0]||[]|[kvm]|[]", o.state().key(true));
        assertEquals(1, r.unchanged());
        assertEquals(1, r.replayed());
        f.calls.clear();
        r.run(List.of(Op.load("a"), Op.unload("c")));
        assertEquals("a step that changed something is not gone back from", "reset", f.calls.get(0));
    }

    @Test
    public void aVmCreationIsUndoneForTheNextSibling() {
        Marked f = new Marked();
        DirectRunner r = new DirectRunner(f);
        SequenceRunner.Outcome created = r.run(List.of(Op.load("a"), Op.vmCreate(0)));
        SequenceRunner.Outcome o = r.run(List.of(Op.load("a"), Op.load("b")));
        assertEquals(List.of("reset", "modprobe a", "vmfd create 0", "why vm 0", "check", "vmfd destroy 10",
                "modprobe b", "check"), f.calls);
        assertEquals("[a/0]||[0]|[kvm]|[]", created.state().key(true));
        assertEquals("[a/0, b/0]||[]|[kvm]|[]", o.state().key(true));
        assertEquals(List.of("modprobe a", "modprobe b"), o.lines());
        assertEquals(1, r.undone());
        // a destruction is undone by creating a VM of its type again, on its fd
        f.calls.clear();
        r.run(List.of(Op.vmCreate(0), Op.vmDestroy()));
        SequenceRunner.Outcome sibling = r.run(List.of(Op.vmCreate(0), Op.unload("b")));
        assertEquals(List.of("reset", "vmfd create 0", "vmfd destroy 10", "check", "vmfd create 0", "rmmod b", "check"),
                f.calls);
        assertEquals("[]||[0]|[kvm]|[]", sibling.state().key(true));
        assertEquals(2, r.undone());
    }

    /**
     * A marked fake that undoes as the model kernel does: the modules loaded since the mark
     * unloaded, fail_function's times put back; no undo when a module went. A sloppy one
     * forgets the times.
     */
    static class Undoing extends Marked {
        boolean sloppy;

        @Override
        public void save(int slot) {
            calls.add("save " + slot);
        }

        @Override
        @SuppressWarnings("unchecked")
        public Object undo(Object before, int slot) {
            calls.add("undo " + slot);
            List<Object> was = (List<Object>) before;
            java.util.Set<String> then = (java.util.Set<String>) was.get(0);
            if (!loaded.containsAll(then)) {
                return null;
            }
            loaded.retainAll(then);
            armed = "null".equals(was.get(1)) ? null : armed;
            times = sloppy ? times : (Long) was.get(2);
            return mark();
        }
    }

    /** What a run shows: its lines, statuses, violations, state and dmesg. */
    private static String seen(SequenceRunner.Outcome o) {
        return o.lines() + " " + o.statuses() + " " + o.violations() + " " + o.state().key(true) + " " + o.dmesg();
    }

    @Test
    public void aSiblingAfterAnUndoneStepSeesWhatItWouldAfterAResetAndAReplay() {
        Undoing f = new Undoing();
        DirectRunner r = new DirectRunner(f);
        List<List<Op>> siblings = List.of(List.of(Op.load("a"), Op.load("b")), List.of(Op.load("a"), Op.load("c")),
                List.of(Op.arm("a:init"), Op.load("a")), List.of(Op.arm("a:init"), Op.load("b")),
                List.of(Op.arm("a:init"), Op.load("a")));
        for (List<Op> ops : siblings) {
            SequenceRunner.Outcome o = r.run(ops);
            assertEquals(ops.toString(), seen(new DirectRunner(new Undoing()).run(ops)), seen(o));
        }
        assertEquals("the node's siblings after undos, then a sibling node from their parent's checkpoint",
                List.of("reset", "save 1", "modprobe a", "save 0", "modprobe b", "check", "undo 0", "modprobe c",
                        "check", "undo 0", "undo 1", "failfn inject a:init", "save 0", "modprobe a", "check",
                        "undo 0", "modprobe b", "check", "undo 0", "modprobe a", "check", "undo 0"), f.calls);
        assertEquals("an armed point fired, armed again by the undo", List.of(1), r.run(List.of(Op.arm("a:init"),
                Op.load("a"))).statuses().subList(1, 2));
        assertEquals(6, r.undone());
        assertEquals(0, r.undoFellBack());
        assertEquals(1, r.backToParent());
        assertEquals(2, r.replayed());
    }

    @Test
    public void anUnloadThatWentIsNotUndoneAndAnUndoThatMissesTheMarkFallsBackToAReset() {
        Undoing f = new Undoing();
        DirectRunner r = new DirectRunner(f);
        r.run(List.of(Op.load("a"), Op.load("a")));
        f.calls.clear();
        r.run(List.of(Op.load("a"), Op.unload("a")));
        assertEquals(List.of("rmmod a", "check", "undo 0"), f.calls);
        f.calls.clear();
        r.run(List.of(Op.load("a"), Op.load("b")));
        assertEquals("no undo made: the next sibling goes back to the parent from where the unload left the platform",
                List.of("undo 1", "modprobe a", "save 0", "modprobe b", "check", "undo 0"), f.calls);
        assertEquals(0, r.undoFellBack());
        f.sloppy = true;
        r.run(List.of(Op.arm("a:init"), Op.load("a")));
        assertEquals(1, r.undoFellBack());
        f.calls.clear();
        List<Op> sibling = List.of(Op.arm("a:init"), Op.load("a"));
        SequenceRunner.Outcome o = r.run(sibling);
        assertEquals("the armed point is armed again by a reset and a replay", "reset", f.calls.get(0));
        assertEquals(seen(new DirectRunner(new Undoing()).run(sibling)), seen(o));
        assertEquals(List.of(0, 1), o.statuses());
    }

    /** A fake that writes down each step as one call, and makes it again on replay (failing once when told to). */
    static class Recording extends Fake {
        Call last;
        boolean diverge;

        @Override
        public Step apply(Op op, int newestVmFd) {
            last = new Call("step", op.line(newestVmFd), op.kind().name(), newestVmFd, op, 0);
            return super.apply(op, newestVmFd);
        }

        @Override
        public List<Call> lastCalls() {
            return List.of(last);
        }

        @Override
        public boolean replay(List<Call> recorded) {
            if (diverge) {
                diverge = false;
                calls.add("replay diverged");
                return false;
            }
            for (Call c : recorded) {
                calls.add("replay " + c.path());
                super.apply((Op) c.arg(), (int) c.number());
                calls.remove(calls.size() - 1);
            }
            return true;
        }
    }

    @Test
    public void aPrefixIsReplayedByTheSystemCallsItsStepsMadeAndByTheToolsWhenOneDiffers() {
        Recording f = new Recording();
        DirectRunner r = new DirectRunner(f);
        r.run(List.of(Op.load("a"), Op.load("b")));
        SequenceRunner.Outcome o = r.run(List.of(Op.load("a"), Op.load("c")));
        assertEquals(List.of("reset", "modprobe a", "modprobe b", "check", "reset", "replay modprobe a", "modprobe c",
                "check"), f.calls);
        assertEquals("[a/0, c/0]||[]|[kvm]|[]", o.state().key(true));
        assertEquals(List.of("modprobe a", "modprobe c"), o.lines());
        assertEquals(1, r.byCalls());
        f.calls.clear();
        f.diverge = true;
        o = r.run(List.of(Op.load("a"), Op.load("d")));
        assertEquals(List.of("reset", "replay diverged", "reset", "modprobe a", "modprobe d", "check"), f.calls);
        assertEquals("[a/0, d/0]||[]|[kvm]|[]", o.state().key(true));
        assertEquals(1, r.diverged());
    }
}
