package org.kvmosgi.explorer;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** The checks the runner makes around each command, on a scripted shell. */
public class SequenceRunnerTest {
    /** Answers each line from a map (default: success, no output) and records what ran. */
    static class ScriptedShell implements Shell {
        final Map<String, Result> answers;
        final List<String> ran = new ArrayList<>();

        ScriptedShell(Map<String, Result> answers) {
            this.answers = answers;
        }

        @Override
        public Result run(String line) {
            ran.add(line);
            return answers.getOrDefault(line, new Result(0, "", "", false));
        }
    }

    static Shell.Result ok(String out) {
        return new Shell.Result(0, out, "", false);
    }

    @Test
    public void anInjectedFailureThatALoadSurvivesIsAViolation() {
        // fail_function's times: 1 once armed, 0 once the point fired (in the load)
        ScriptedShell sh = new ScriptedShell(Map.of("cat /proc/modules", ok("mod_b 4096 0 - Live 0xffffffffc0000000\n"))) {
            @Override
            public Result run(String line) {
                if (line.equals(SequenceRunner.TIMES)) {
                    ran.add(line);
                    return ok(ran.contains("modprobe mod_b") ? "0\n" : "1\n");
                }
                return super.run(line);
            }
        };
        SequenceRunner.Outcome o = new SequenceRunner(sh).run(List.of(Op.arm("mod_b:radix_init"), Op.load("mod_b")));
        assertEquals(List.of("failfn: mod_b:radix_init failed (injected), yet `modprobe mod_b` succeeded: the error "
                + "was ignored"), o.violations());
        assertEquals("kreset", sh.ran.get(0));
    }

    @Test
    public void invariantViolationsAndThrownCommandsAreReported() {
        ScriptedShell sh = new ScriptedShell(Map.of("invariants", new Shell.Result(1, "kmemleak: 1 suspected leaks\n",
                "invariants: 1 violated", false), "rmmod a", new Shell.Result(1, "", "gogo: NullPointerException: x",
                true)));
        SequenceRunner.Outcome o = new SequenceRunner(sh).run(List.of(Op.unload("a")));
        assertEquals(List.of("threw: `rmmod a`: gogo: NullPointerException: x", "kmemleak: 1 suspected leaks"),
                o.violations());
    }

    @Test
    public void vmFdsAreTrackedAndTheLayoutIsAsked() {
        ScriptedShell sh = new ScriptedShell(Map.of("vmfd create 0", ok("VM fd 4\n"), "why vm 0",
                ok("KVM_CREATE_VM(0) works\n    this contradicts the layout: the VM was created with no implementation live\n"),
                "ls /dev", ok("kvm\n")));
        SequenceRunner.Outcome o = new SequenceRunner(sh).run(List.of(Op.vmCreate(0)));
        assertTrue(o.violations().get(0), o.violations().get(0).startsWith("kvm: `vmfd create 0` succeeded: this contradicts"));
        assertEquals(List.of(0L), o.state().vms());
        ScriptedShell clean = new ScriptedShell(Map.of("vmfd create 0", ok("VM fd 4\n")));
        SequenceRunner.Outcome c = new SequenceRunner(clean).run(List.of(Op.vmCreate(0), Op.vmDestroy()));
        assertTrue(clean.ran.contains("vmfd destroy 4"));
        assertEquals(List.of(), c.state().vms());
    }

    @Test
    public void reproducerIsAKvmshScript() {
        Explorer.Violation v = new Explorer.Violation("s", "kmemleak: 1 suspected leaks", List.of(),
                List.of("failfn inject m:x", "modprobe m"));
        assertEquals("# kvm-osgi explorer, violation 2: kmemleak: 1 suspected leaks\n# run: ./kvmsh F\n"
                + "failfn inject m:x\nmodprobe m\ninvariants\n", Summary.reproducer(v.message(), v.lines(), 2, "./kvmsh F"));
        assertTrue(ProgressBar.line(2, 5, 10, 1, 3.0).startsWith("depth 2 [###############---------------] 5/10"));
    }

    @Test
    public void optionsAndTheirMistakes() {
        Options o = Options.parse("--feature", "kvm-ppc", "--host", "power9", "--depth", "4", "--modules", "kvm,kvm-hv");
        assertEquals(List.of("kvm", "kvm_hv"), o.modules());
        assertEquals(4, o.depth());
        assertEquals("model", o.engine());
        assertEquals("direct", Options.parse("--engine", "direct").engine());
        assertTrue(Options.parse("--shell").shell());
        assertTrue(Options.parse("--engine", "shell").shell());
        try {
            Options.parse("--engine", "felix");
            throw new AssertionError("--engine felix accepted");
        } catch (IllegalArgumentException e) {
            assertEquals("--engine takes model, direct or shell, not 'felix'", e.getMessage());
        }
        try {
            Options.parse("--depth", "0");
        } catch (IllegalArgumentException e) {
            assertEquals("option --depth needs a positive number, not '0'", e.getMessage());
            return;
        }
        throw new AssertionError("--depth 0 accepted");
    }
}
