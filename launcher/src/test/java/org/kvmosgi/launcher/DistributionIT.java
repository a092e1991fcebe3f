package org.kvmosgi.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The built distribution (target/kvmosgi) run as users run it: a separate JVM, its own
 * stdout, stderr and exit status. It checks the console's and the launcher's contract;
 * the kernel's and the tools' rules have their own tests.
 */
public class DistributionIT {
    private static final Path DIST = Paths.get(System.getProperty("kvmosgi.dist", "target/kvmosgi")).toAbsolutePath();
    private static final String MODULE_DIR = "/lib/modules/6.13.0-kvmosgi/kernel/drivers/kvmosgi-test/";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final class Run {
        int status;
        String out;
        String err;
    }

    @Test
    public void aCommandPrintsToStdoutAndNothingElse() throws Exception {
        Run r = kvmsh("-c", "echo hello");
        assertEquals("", r.err);
        assertEquals("hello\n", r.out);
        assertEquals(0, r.status);
    }

    @Test
    public void lsmodOnAFreshBootListsNothing() throws Exception {
        Run r = kvmsh("-c", "lsmod");
        assertEquals("", r.err);
        assertEquals("Module                  Size  Used by\n", r.out);
        assertEquals(0, r.status);
    }

    @Test
    public void theFixturesAreLaidOutForInsmod() throws Exception {
        Run r = kvmsh("--feature", "fixtures", "-c", "insmod " + MODULE_DIR + "mod-exporter.ko; lsmod");
        assertEquals("", r.err);
        assertTrue(r.out, r.out.contains("\nmod_exporter "));
        assertEquals(0, r.status);
    }

    @Test
    public void theHostsArchitecturePicksTheModuleSet() throws Exception {
        Path modules = tmp.getRoot().toPath().resolve("state/root/lib/modules/6.13.0-kvmosgi");
        assertEquals(0, kvmsh("-c", "lsmod").status);
        if (Files.exists(DIST.resolve("features/kvm-x86.json"))) {
            assertTrue(Files.isRegularFile(modules.resolve("kernel/arch/x86/kvm/kvm.ko")));
        } else {
            assertTrue(Files.isRegularFile(modules.resolve("kernel/drivers/kvmosgi-test/mod-exporter.ko")));
        }
        assertEquals(0, kvmsh("--host", "power9", "-c", "lsmod").status);
        if (!Files.exists(DIST.resolve("features/kvm-ppc.json"))) {
            assertTrue(Files.isRegularFile(modules.resolve("kernel/drivers/kvmosgi-test/mod-exporter.ko")));
        }
    }

    @Test
    public void aFailingCommandPrintsItsToolsMessageAndFails() throws Exception {
        Run r = kvmsh("-c", "insmod /nowhere.ko");
        assertTrue(r.err, r.err.startsWith("insmod: ERROR: "));
        assertEquals("one line, no stack trace", 1, r.err.split("\n").length);
        assertTrue(r.status != 0);
    }

    @Test
    public void anUnknownCommandKeepsGogosWords() throws Exception {
        Run r = kvmsh("-c", "nosuchcommand");
        assertEquals("gogo: CommandNotFoundException: Command not found: nosuchcommand\n", r.err);
        assertEquals(1, r.status);
    }

    @Test
    public void dashCGoesOnAfterAFailureAsShDoes() throws Exception {
        Run r = kvmsh("-c", "echo before; nosuchcommand; echo after");
        assertEquals("before\nafter\n", r.out);
        assertEquals("the status is the last command's", 0, r.status);
        Run last = kvmsh("-c", "echo before; nosuchcommand");
        assertEquals(1, last.status);
    }

    @Test
    public void aRedirectionToAFileIsRefusedAndNothingRuns() throws Exception {
        Run r = kvmsh("-c", "echo 0 > /sys/module/kvm/parameters/halt_poll_ns");
        assertEquals(1, r.status);
        assertEquals("", r.out);
        assertTrue(r.err.startsWith("kvmsh: /sys/module/kvm/parameters/halt_poll_ns: redirection to a file is not supported"));
    }

    @Test
    public void exitSetsTheStatus() throws Exception {
        assertEquals(7, kvmsh("-c", "exit 7").status);
    }

    @Test
    public void aScriptGoesOnAfterAFailingLineAndEndsWithTheLastStatus() throws Exception {
        Path script = tmp.newFile("s.kvmsh").toPath();
        Files.writeString(script, "#!/usr/bin/env kvmsh\n# comment\necho one\nnosuchcommand\n\neach [a b] {\n  echo $it\n}\necho last\n");
        Run r = kvmsh(script.toString());
        assertEquals("one\na\nb\nlast\n", r.out);
        assertEquals("gogo: CommandNotFoundException: Command not found: nosuchcommand\n", r.err);
        assertEquals(0, r.status);

        Files.writeString(script, "echo one\nnosuchcommand\n");
        assertEquals(1, kvmsh(script.toString()).status);
    }

    @Test
    public void aMissingScriptIsStatus127() throws Exception {
        Run r = kvmsh("no-such-script.kvmsh");
        assertEquals("kvmsh: no-such-script.kvmsh: No such file or directory\n", r.err);
        assertEquals(127, r.status);
    }

    @Test
    public void gogoJlinesCommandsWorkInPipes() throws Exception {
        Run r = kvmsh("-c", "dmesg | grep 'Host profile'");
        assertTrue(r.out, r.out.contains("Host profile: intel"));
        assertTrue("no colour codes when stdout is not a terminal: " + r.out, !r.out.contains("\u001b["));
        assertEquals(0, r.status);
    }

    @Test
    public void aPipelineEndsWithTheStatusOfItsLastCommandAsInSh() throws Exception {
        Run r = kvmsh("-c", "dmesg | grep 'no line says this'");
        assertEquals("", r.out);
        assertEquals("", r.err);
        assertEquals("grep found nothing: status 1", 1, r.status);
    }

    @Test
    public void aToolFailingInsideAPipelinePrintsItsMessageAlone() throws Exception {
        Run r = kvmsh("-c", "modinfo no_such_module | grep x");
        assertTrue(r.err, r.err.startsWith("modinfo: "));
        assertTrue(r.err, !r.err.contains("gogo:"));
    }

    @Test
    public void hostHelpPrintsTheProfilesTable() throws Exception {
        Run r = kvmsh("--host", "help");
        assertEquals("", r.err);
        String[] lines = r.out.split("\n");
        assertTrue(r.out, lines[0].matches("PROFILE +ARCH +DESCRIPTION"));
        assertTrue(r.out, r.out.contains("\nintel ") && r.out.contains("\npower9 "));
        assertEquals(0, r.status);
    }

    @Test
    public void anUnknownHostProfileIsTheKernelsMessageAndStatus2() throws Exception {
        Run r = kvmsh("--host", "nosuch", "-c", "lsmod");
        assertTrue(r.err, r.err.startsWith("kvmsh: unknown host profile 'nosuch'"));
        assertEquals("", r.out);
        assertEquals(2, r.status);
    }

    @Test
    public void aBadOptionIsOneLineAndStatus2() throws Exception {
        Run r = kvmsh("--frobnicate");
        assertEquals("kvmsh: unknown option '--frobnicate' (./kvmsh --help lists the options)\n", r.err);
        assertEquals(2, r.status);
    }

    @Test
    public void theLogGoesToTheStateDirectory() throws Exception {
        kvmsh("-c", "lsmod");
        assertTrue(Files.size(tmp.getRoot().toPath().resolve("state/log/kvmsh.log")) > 0);
    }

    private Run kvmsh(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Dkvmosgi.home=" + DIST);
        cmd.add("-Dkvmosgi.state=" + tmp.getRoot().toPath().resolve("state"));
        cmd.add("-cp");
        cmd.add(DIST.resolve("lib") + File.separator + "*");
        cmd.add("org.kvmosgi.launcher.Main");
        cmd.addAll(List.of(args));
        Path out = tmp.newFile().toPath();
        Path err = tmp.newFile().toPath();
        Process p = new ProcessBuilder(cmd).directory(tmp.getRoot())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("kvmsh " + List.of(args) + " did not end within 60 s");
        }
        Run r = new Run();
        r.status = p.exitValue();
        r.out = Files.readString(out, StandardCharsets.UTF_8);
        r.err = Files.readString(err, StandardCharsets.UTF_8);
        return r;
    }
}
