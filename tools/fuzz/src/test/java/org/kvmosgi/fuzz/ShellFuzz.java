package org.kvmosgi.fuzz;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.kvmosgi.explorer.FelixShell;
import org.kvmosgi.explorer.Shell.Result;
import org.kvmosgi.launcher.RootFs;

/**
 * Generated shell lines and ioctl sequences against one platform (kvm-x86 on the intel
 * host) through the sealed shell a kvmsh session runs, each case from a fresh kernel
 * ({@code kreset}). After each case: no line threw a
 * Java exception (a CommandFailure is the tool's own refusal; Gogo's "command not found",
 * "cannot coerce", syntax errors and unmatched globs are the generator's, each one line in kvmsh); {@code invariants} hold; {@code kmemleak}
 * finds nothing, once with the case's modules still loaded and once after they are gone.
 * A failure shrinks to a minimal list of lines, replayable in {@code ./kvmsh}.
 */
class ShellFuzz {
    private static final Path HOME = Path.of(System.getProperty("kvmosgi.home", "../../launcher/target/kvmosgi"));
    private static FelixShell shell;
    private static long lines;
    private static long cases;
    private static long exceptions;
    private static long leaks;
    private static long violations;

    @BeforeContainer
    static void boot() throws Exception {
        Path state = Files.createDirectories(Path.of(System.getProperty("fuzz.state", "target/fuzz-state")));
        // the console's sealed shell: what a kvmsh session runs
        shell = FelixShell.boot(HOME, List.of(RootFs.PLATFORM, "kvm-x86"), "intel", Files.createTempDirectory(state, "p"),
                "(kvmosgi.shell=sealed)");
    }

    @AfterContainer
    static void figures() {
        // the figures the closing note asks for, in the build log
        System.out.printf("fuzz: %d lines in %d cases, %d Java exceptions, %d leaks, %d violations%n", lines, cases,
                exceptions, leaks, violations);
        if (shell != null) {
            shell.close();
        }
    }

    @Property(tries = 120, seed = "20261201", shrinking = ShrinkingMode.FULL)
    void everyCommandLeavesTheKernelConsistent(@ForAll("programs") List<String> program) {
        check(program);
    }

    @Property(tries = 60, seed = "1212", shrinking = ShrinkingMode.FULL)
    void ioctlSequencesLeaveTheKernelConsistent(@ForAll("ioctlSequences") List<String> program) {
        check(program);
    }

    /** {@code mvn verify -pl tools/fuzz -Dfuzz.long=true}: thousands of cases from a fresh seed each run. */
    @Property(tries = 3000, shrinking = ShrinkingMode.FULL)
    @AddLifecycleHook(LongRunOnly.class)
    void longRun(@ForAll("programs") List<String> program) {
        check(program);
    }

    @Provide
    Arbitrary<List<String>> programs() {
        return ShellLines.programs();
    }

    @Provide
    Arbitrary<List<String>> ioctlSequences() {
        return ShellLines.ioctlSequences();
    }

    private static void check(List<String> program) {
        cases++;
        expectOk("kreset");
        List<String> problems = new ArrayList<>();
        for (String line : program) {
            Result r = shell.run(line);
            lines++;
            if (r.threw()) {
                exceptions++;
                problems.add("`" + line + "` threw: " + r.err().trim());
            }
        }
        inspect(problems);
        // what the case loaded goes, so that kmemleak can see what it left
        for (String vm : List.of("a", "b")) {
            shell.run("vm destroy " + vm);
        }
        shell.run("rmmod kvm_intel kvm_amd");
        shell.run("rmmod kvm irqbypass");
        inspect(problems);
        if (!problems.isEmpty()) {
            throw new AssertionError(String.join("\n", problems));
        }
    }

    private static void inspect(List<String> problems) {
        Result inv = shell.run("invariants");
        if (!inv.ok() || inv.threw()) {
            violations++;
            problems.add(inv.out().trim() + inv.err().trim());
        }
        Result leak = shell.run("kmemleak");
        if (!leak.out().contains("no suspected leaks")) {
            leaks++;
            problems.add(leak.out().trim() + leak.err().trim());
        }
    }

    private static void expectOk(String line) {
        Result r = shell.run(line);
        if (!r.ok()) {
            throw new IllegalStateException(line + " failed: " + r.err());
        }
    }
}
