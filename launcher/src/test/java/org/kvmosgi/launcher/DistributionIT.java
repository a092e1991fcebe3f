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
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The built distribution (target/kvmosgi) run as users run it: a separate JVM started as
 * ./kvmsh starts it (the distribution's etc/jvm.args and a class data archive made by a
 * first run), its own stdout, stderr and exit status. It checks the console's and the
 * launcher's contract; the kernel's and the tools' rules have their own tests.
 */
public class DistributionIT {
    private static final Path DIST = Paths.get(System.getProperty("kvmosgi.dist", "target/kvmosgi")).toAbsolutePath();
    private static final String MODULE_DIR = "/lib/modules/6.13.0-kvmosgi/kernel/drivers/kvmosgi-test/";

    @ClassRule
    public static TemporaryFolder archiveDir = new TemporaryFolder();

    /** The class data archive every kvmsh of this class maps; null when this JVM could not write one. */
    private static Path archive;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /**
     * The first run after a build, as ./kvmsh makes it: it records the classes it loads into
     * an archive (and logs where each came from, for the launcher to link the bundle classes
     * the archive leaves out); every later run maps the archive instead of loading them again.
     */
    @BeforeClass
    public static void firstRunWritesTheClassDataArchive() throws Exception {
        Path dir = archiveDir.getRoot().toPath();
        Path jsa = dir.resolve("kvmsh.jsa");
        Path classes = dir.resolve("kvmsh.jsa.classes");
        List<String> cmd = jvm(dir.resolve("state"));
        cmd.addAll(1, List.of("-XX:ArchiveClassesAtExit=" + jsa, "-Xlog:class+load=info:file=" + classes,
                "-Dkvmosgi.cds.classlog=" + classes));
        cmd.addAll(List.of("org.kvmosgi.launcher.Main", "-c", "lsmod"));
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue("the first kvmsh did not end within 120 s", p.waitFor(120, TimeUnit.SECONDS));
        assertEquals("the first kvmsh's status", 0, p.exitValue());
        archive = Files.isRegularFile(jsa) ? jsa : null;
    }

    /** java with kvmsh's options, its home and {@code state}, and the launcher's class path. */
    private static List<String> jvm(Path state) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("@" + DIST.resolve("etc/jvm.args"));
        cmd.add("-Dkvmosgi.home=" + DIST);
        cmd.add("-Dkvmosgi.state=" + state);
        cmd.add("-cp");
        cmd.add(DIST.resolve("lib") + File.separator + "*");
        return cmd;
    }

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

    /** Every way a line reached the host in the raw Gogo shell, each refused with one line. */
    @Test
    public void theSealedShellRefusesEveryWayToTheHost() throws Exception {
        Path secret = tmp.newFile("host-secret").toPath();
        Files.writeString(secret, "host file\n");
        Path written = tmp.getRoot().toPath().resolve("written-by-kvmsh");
        String[] lines = {
            "gogo:cat " + secret, "gogo:head " + secret, "gogo:grep host " + secret, "gogo:ls /", "gogo:cd /",
            "gogo:source " + secret, "gosh " + secret, "tac -f " + written, "felix:ls", "felix:cd /",
            "(new java.io.FileWriter " + written + ")", "new java.io.FileWriter " + written,
            "x = abc ; ((($x getClass) forName java.lang.Runtime) getRuntime) exec touch " + written,
            "felix:install " + secret.toUri(), "start " + secret.toUri(), "update 0 " + secret.toUri(),
        };
        Run r = kvmsh("-c", String.join("\n", lines));
        String[] errors = r.err.split("\n");
        assertEquals(r.err, lines.length, errors.length);
        for (String e : errors) {
            assertTrue(e, e.startsWith("kvmsh: ") && e.contains("sealed shell"));
        }
        assertTrue(r.out, !r.out.contains("host file"));
        assertTrue("nothing written on the host", !Files.exists(written));
        assertEquals(126, r.status);

        Run context = kvmsh("-c", "${.context} getBundles");
        assertTrue("no BundleContext to reach: " + context.err, context.err.contains("evaluates to null"));
    }

    @Test
    public void theSealedShellGlobsTheModelsFiles() throws Exception {
        tmp.newFile("kvm-on-the-host");
        Run r = kvmsh("-c", "echo /etc/*; modprobe kvm_intel; echo /sys/module/kvm*");
        assertEquals("", r.err);
        assertTrue(r.out, r.out.contains("\"/etc/modprobe.d\""));
        assertTrue("the host's /etc stays unseen: " + r.out, !r.out.contains("passwd"));
        assertTrue(r.out, r.out.contains("[\"/sys/module/kvm\" \"/sys/module/kvm_intel\"]"));

        Run cwd = kvmsh("-c", "echo kvm-on-*");
        assertTrue("the host's working directory is not the model's: " + cwd.err, cwd.err.contains("no matches found: kvm-on-*"));
    }

    @Test
    public void theSealedShellInstallsAndSourcesTheModelsFilesOnly() throws Exception {
        Run r = kvmsh("--feature", "fixtures", "-c", "install -s " + MODULE_DIR + "mod-exporter.ko; lsmod; "
                + "install /lib/modules/../../etc/modprobe.d; echo lsmod | tee /etc/s.kvmsh; source /etc/s.kvmsh");
        assertTrue(r.out, r.out.contains("\nmod_exporter "));
        assertTrue(r.out, r.out.endsWith("lsmod\nModule                  Size  Used by\nmod_exporter            4096  0\n"));
        assertEquals("install: /lib/modules/../../etc/modprobe.d: not in the module directory /lib/modules/6.13.0-kvmosgi/ "
                + "(the sealed shell installs the model's modules only)\n", r.err);
    }

    @Test
    public void pipesFilterTheModelsOutputAsCoreutilsDo() throws Exception {
        Run r = kvmsh("-c", "modprobe kvm_intel; dmesg | head -2; lsmod | grep -c kvm; lsmod | grep -v -i KVM; "
                + "lsmod | grep -E '^kvm_(intel|amd)'; lsmod | wc -l; lsmod | sort | head -1; dmesg | tail -1; lsmod | grep -q nothing");
        assertEquals("", r.err);
        String[] lines = r.out.split("\n");
        assertTrue(r.out, lines[0].contains("Linux version"));
        assertEquals("2", lines[2]);
        assertEquals("Module                  Size  Used by", lines[3]);
        assertTrue(r.out, lines[4].startsWith("kvm_intel "));
        assertEquals("3", lines[5]);
        assertTrue(r.out, lines[6].startsWith("Module "));
        assertEquals(8, lines.length);
        assertEquals("grep -q found nothing", 1, r.status);
        assertTrue("head -5 opened no host file", !Files.exists(tmp.getRoot().toPath().resolve("-5")));
    }

    @Test
    public void aUsersMistakeIsOneLineInTheToolsWords() throws Exception {
        String[][] cases = {
            {"modprobe $nosuchvar", "modprobe: ERROR: missing parameters. See -h."},
            {"rmmod ${PATH}", "rmmod: ERROR: missing module name."},
            {"modinfo null", "modinfo: ERROR: Module null not found."},
            {"why $nosuchvar", "why: usage: why MODULE | why /dev/NAME | why vm [TYPE]"},
            {"modprobe kvm?", "kvmsh: no matches found: kvm?"},
            {"modprobe %s%n%x", "kvmsh: line 6: syntax error: bad expression: %s%n%x"},
            // kmod's own answer: /sys/module//initstate is the directory /sys/module, so the
            // empty name is "coming", and its refcnt file does not exist
            {"rmmod ''", "rmmod: ERROR: Module unloading is not supported"},
            {"history", "kvmsh: gogo:history: not in the sealed shell: needs gosh's own line editor, which kvmsh does not run "
                    + "(./kvmsh --unsealed gives Gogo's own)"},
            {"hosts x", "kvmsh: hosts: wrong arguments (help hosts shows how to call it)"},
            {"headers $x null", "kvmsh: headers: wrong arguments (help headers shows how to call it)"},
            {"dmesg | tail -1", null},
        };
        StringBuilder program = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (String[] c : cases) {
            program.append(c[0]).append('\n');
            if (c[1] != null) {
                expected.append(c[1]).append('\n');
            }
        }
        Run r = kvmsh("-c", program.toString());
        assertEquals(expected.toString(), r.err);
        // tail -1 prints one line: the ring buffer's last, which is the boot's host profile line
        assertTrue(r.out, r.out.matches("\\[ *\\d+\\.\\d{6}\\] [^\n]*Host profile: intel[^\n]*\n"));
    }

    @Test
    public void aSyntaxErrorIsASyntaxErrorLineAndNothingOfItRuns() throws Exception {
        Run r = kvmsh("-c", "echo before\nmodprobe <kvm>");
        assertEquals("", r.out);
        assertEquals("kvmsh: line 2: syntax error: Expected file name for redirection\n", r.err);
        assertEquals(2, r.status);

        Path deep = tmp.newFile("deep.kvmsh").toPath();
        Files.writeString(deep, "(".repeat(2000) + "\necho after\n");
        r = kvmsh(deep.toString());
        assertEquals(deep + ": line 1: syntax error: nested too deeply\n", r.err);
        assertEquals("as sh, the script ends at its syntax error", "", r.out);
        assertEquals(2, r.status);

        Path script = tmp.newFile("s.kvmsh").toPath();
        Files.writeString(script, "echo one\n\necho )\necho two\n");
        r = kvmsh(script.toString());
        assertEquals("one\n", r.out);
        assertEquals(script + ": line 3: syntax error: unexpected token ')'\n", r.err);
        assertEquals(2, r.status);
    }

    @Test
    public void vmentryL1dFlushTakesTheValuesOfItsTableOnly() throws Exception {
        Run r = kvmsh("-c", "modprobe kvm_intel vmentry_l1d_flush=bogus; lsmod; modprobe kvm_intel vmentry_l1d_flush=always; "
                + "echo bogus | tee /sys/module/kvm_intel/parameters/vmentry_l1d_flush; "
                + "cat /sys/module/kvm_intel/parameters/vmentry_l1d_flush; "
                + "echo never | tee /sys/module/kvm_intel/parameters/vmentry_l1d_flush; "
                + "cat /sys/module/kvm_intel/parameters/vmentry_l1d_flush");
        assertEquals("modprobe: ERROR: could not insert 'kvm_intel': Invalid argument\n"
                + "tee: /sys/module/kvm_intel/parameters/vmentry_l1d_flush: Invalid argument\n", r.err);
        assertTrue(r.out, r.out.startsWith("Module                  Size  Used by\nkvm "));
        assertTrue(r.out, r.out.endsWith("bogus\nalways\nnever\nnever\n"));
    }

    @Test
    public void stoppingTheConsoleBundleEndsKvmshInsteadOfLeavingItWaiting() throws Exception {
        Run list = kvmsh("-c", "lb -s");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^\\s*(\\d+)\\|Active.*\\|console ").matcher(list.out);
        assertTrue(list.out, m.find());
        Run r = kvmsh("-c", "exit 3");
        assertEquals(3, r.status);
        r = kvmsh("-c", "felix:stop " + m.group(1));
        assertTrue(r.err, r.err.contains("kvmsh: the console bundle was stopped: leaving\n"));
        assertEquals(0, r.status);
    }

    @Test
    public void theUnsealedShellsToolsSayWhatIsMissingInsteadOfThrowing() throws Exception {
        // Gogo hands a tool a null for an unset variable and for the word null
        Run r = kvmsh("--unsealed", "-c", "modprobe $nosuchvar; modinfo null; why $nosuchvar; rmmod ${PATH}; vm $nosuchvar");
        assertEquals("modprobe: ERROR: missing parameters. See -h.\n"
                + "modinfo: ERROR: missing module or filename.\n"
                + "why: usage: why MODULE | why /dev/NAME | why vm [TYPE]\n"
                + "rmmod: ERROR: missing module name.\n"
                + "vm: usage: vm create|vcpu|run|lock|list|stat|destroy|dispatch|help ...\n", r.err);
    }

    @Test
    public void dollarQuestionIsTheLastStatusAsInSh() throws Exception {
        Run r = kvmsh("-c", "modprobe nosuch; echo $?; echo \"st=$?\"; echo '$?'; lsmod | grep -q kvm; echo $?");
        assertEquals("1\nst=0\n$?\n1\n", r.out);
    }

    @Test
    public void aSignalEndsKvmRunWithEintrAndTheVcpuRunsAgainAfterwards() throws Exception {
        // HLT with interrupts disabled and the in-kernel irqchip: KVM sleeps until a signal,
        // here the VMM's own timer; the next run resets the vCPU out of its halt
        Run r = kvmsh("-c", "modprobe kvm_intel; vm create --irqchip v; vm run --workload hlt --timeout 100 v; echo $?; "
                + "vm run --iterations 10 v");
        assertEquals("vm: v: --timeout 100 ms: KVM_RUN: Interrupted system call (exit reason KVM_EXIT_INTR); "
                + "vCPU 0 was halted with interrupts disabled, which only a signal ends\n", r.err);
        assertTrue(r.out, r.out.contains("v: hlt x 100000: 1 exits (1 to user space) in "));
        assertTrue(r.out, r.out.contains(" s, stopped by a signal\n"));
        assertTrue(r.out, r.out.contains("\n124\nv: cpuid x 10: "));
        assertEquals(0, r.status);
    }

    @Test
    public void ctrlCInDashCModeInterruptsKvmRunAndKvmshEndsCleanly() throws Exception {
        // the JVM keeps a SIGINT its parent ignored (as a shell's background job does):
        // env --default-signal gives kvmsh the terminal's default, as a user's shell does
        Assume.assumeTrue("env --default-signal (coreutils 8.31+)",
                new ProcessBuilder("env", "--default-signal=INT", "true").start().waitFor() == 0);
        Process p = start(List.of("env", "--default-signal=INT"), "-c",
                "modprobe kvm_intel; vm create --irqchip v; vm run --workload hlt v; echo not reached");
        Path jcmd = Paths.get(System.getProperty("java.home"), "bin", "jcmd");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        // sent once the vCPU sleeps in KVM_RUN, as a user presses Ctrl-C at a hung guest
        while (!threadDump(jcmd, p.pid()).contains("X86Arch.vcpuBlock")) {
            assertTrue("vm run never halted its vCPU", System.nanoTime() < deadline && p.isAlive());
            Thread.sleep(200);
        }
        assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor());
        Run r = finish(p, "Ctrl-C");
        assertEquals("vm: v: KVM_RUN: Interrupted system call (exit reason KVM_EXIT_INTR); "
                + "vCPU 0 was halted with interrupts disabled, which only a signal ends\n", r.err);
        assertTrue(r.out, r.out.contains(" s, stopped by a signal\n"));
        assertTrue(r.out, !r.out.contains("not reached"));
        assertEquals("sh's status for a command ended by SIGINT", 130, r.status);
    }

    private static String threadDump(Path jcmd, long pid) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.print")
                .redirectErrorStream(true).start();
        String dump = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return dump;
    }

    @Test
    public void whyNamesTheGplOnlySymbolAProprietaryModuleCannotLink() throws Exception {
        Run r = kvmsh("--feature", "fixtures", "-c", "modprobe mod_exporter; why mod_proprietary; modprobe mod_proprietary; "
                + "why mod_proprietary");
        String cause = "exporter_gpl_only is exported GPL-only by mod_exporter (EXPORT_SYMBOL_GPL) and mod_proprietary's "
                + "license 'Proprietary' is not GPL-compatible";
        assertEquals(r.out, 2, r.out.split(java.util.regex.Pattern.quote(cause), -1).length - 1);
        assertTrue(r.out, !r.out.contains("should work today"));
    }

    @Test
    public void unsealedIsGogosRawShell() throws Exception {
        Path secret = tmp.newFile("host-secret").toPath();
        Files.writeString(secret, "host file\n");
        Run r = kvmsh("--unsealed", "-c", "gogo:cat " + secret + "; echo host-*");
        assertEquals(r.err, "host file\nhost-secret\n", r.out);
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

    /** kvm-x86-builtin: kvm and kvm_intel built in (=y), kvm_amd a module; kmod's words for built-ins. */
    @Test
    public void builtinModulesAreInTheKernelAndKmodSaysSo() throws Exception {
        Run r = kvmsh("--feature", "kvm-x86-builtin", "--cmdline", "kvm_intel.nested=0", "-c",
                "lsmod; modprobe kvm_intel; modprobe --first-time kvm_intel; modprobe --show-depends kvm_intel; "
                        + "modprobe -r kvm_intel; rmmod kvm_intel; cat /sys/module/kvm_intel/parameters/nested; "
                        + "ls /sys/module/kvm_intel; cat /proc/modules; modinfo kvm_intel");
        assertEquals("modprobe: ERROR: could not insert 'kvm_intel': Module already in kernel\n"
                + "modprobe: FATAL: Module kvm_intel is builtin.\n"
                + "rmmod: ERROR: Module kvm_intel is builtin.\n", r.err);
        assertTrue(r.out, r.out.startsWith("Module                  Size  Used by\n"
                + "builtin kvm_intel\n"
                + "N\n"
                + "parameters\n"
                + "name:           kvm_intel\n"
                + "filename:       (builtin)\n"
                + "file:           arch/x86/kvm/kvm-intel\n"
                + "license:        GPL\n"));
        assertTrue(r.out, r.out.contains("\nparm:           nested:bool\n"));
        assertEquals(0, r.status);
        Path modules = tmp.getRoot().toPath().resolve("state/root/lib/modules/6.13.0-kvmosgi");
        assertEquals("kernel/arch/x86/kvm/kvm.ko\nkernel/arch/x86/kvm/kvm-intel.ko\n",
                Files.readString(modules.resolve("modules.builtin")));
        assertEquals("kernel/arch/x86/kvm/kvm-amd.ko\n", Files.readString(modules.resolve("modules.order")));
        assertTrue(Files.readString(modules.resolve("modules.builtin.modinfo"))
                .contains("\0kvm_intel.file=arch/x86/kvm/kvm-intel\0kvm_intel.license=GPL\0"));
        assertTrue("no .ko of a built-in module", !Files.exists(modules.resolve("kernel/arch/x86/kvm/kvm.ko")));
    }

    /**
     * Where kvm_intel's initcall succeeded, kvm_amd cannot load (its init returns -EEXIST,
     * which modprobe takes for "already loaded": status 0); where it failed, the boot went
     * on and kvm_amd loads, using the image's kvm exports.
     */
    @Test
    public void theOtherVendorLoadsOnlyWhereTheBuiltinOneFailed() throws Exception {
        Run lab = kvmsh("--host", "x86-lab", "--feature", "kvm-x86-builtin", "-c",
                "modprobe kvm_amd; lsmod; dmesg | grep vendor");
        assertEquals("", lab.err);
        assertTrue(lab.out, lab.out.startsWith("Module                  Size  Used by\n["));
        assertTrue(lab.out, lab.out.endsWith("] kvm: already loaded vendor module 'kvm_intel'\n"));

        Run amd = kvmsh("--host", "amd", "--feature", "kvm-x86-builtin", "--cmdline", "initcall_debug", "-c",
                "modprobe kvm_amd; lsmod; dmesg | grep initcall");
        assertEquals("", amd.err);
        String[] lines = amd.out.split("\n");
        assertTrue(amd.out, lines[1].matches("kvm_amd {13}[ \\d]{8}  0"));
        // built-in code's %pS has no " [module]"
        assertTrue(amd.out, amd.out.contains("] initcall kvm_x86_init+0x0/0x1000 returned 0 after "));
        assertTrue(amd.out, amd.out.matches("(?s).*\\] initcall vmx_init\\+0x0/0x1000 returned -95 after \\d+ usecs\n.*"));
        assertEquals(0, amd.status);
    }

    /**
     * modpost over the real x86 layouts: the monolithic one exports the core twice (every
     * error a kvm-amd export kvm-intel made first), so it builds only under Yamada's rule,
     * which its feature picks; the split layout has no duplicate at all.
     */
    @Test
    public void modpostPassesTheMonolithicLayoutOnlyUnderYamadasRule() throws Exception {
        org.osgi.service.feature.Feature mono = RootFs.readFeature(DIST, "kvm-x86-monolithic");
        List<Modpost.Module> modules = Modpost.modules(DIST, "kvm-x86-monolithic", mono);
        List<String> strict = Modpost.check(modules, Modpost.Config.STRICT);
        assertTrue(strict.toString(), strict.size() > 10);
        for (String e : strict) {
            assertTrue(e, e.matches("arch/x86/kvm/kvm-amd: '\\w+' exported twice\\. Previous export was in arch/x86/kvm/kvm-intel\\.ko"));
        }
        assertEquals(Modpost.Rule.YAMADA, Modpost.config("kvm-x86-monolithic", mono).rule());
        assertEquals(List.of(), Modpost.check(modules, Modpost.config("kvm-x86-monolithic", mono)));
        org.osgi.service.feature.Feature split = RootFs.readFeature(DIST, "kvm-x86");
        assertEquals(List.of(), Modpost.check(Modpost.modules(DIST, "kvm-x86", split), Modpost.Config.STRICT));
    }

    /**
     * Every script in docs/examples runs as its header's {@code ./kvmsh ...} line says: it ends
     * with the status its header names ({@code # exit status: N}, 0 when it names none), and
     * no line of its output is a Java exception. The scripts are passed around; they must
     * keep working as the model changes.
     */
    @Test
    public void everyDocsExampleRunsAsItsHeaderSays() throws Exception {
        Path examples = Paths.get("..", "docs", "examples").toAbsolutePath().normalize();
        List<Path> scripts;
        try (var files = Files.list(examples)) {
            scripts = files.filter(f -> f.toString().endsWith(".kvmsh")).sorted().toList();
        }
        assertTrue("no scripts in " + examples, scripts.size() >= 8);
        for (Path script : scripts) {
            List<String> lines = Files.readAllLines(script, StandardCharsets.UTF_8);
            String header = lines.stream().filter(l -> l.matches("#\\s+\\./kvmsh .*")).findFirst()
                    .orElseThrow(() -> new AssertionError(script + ": no '#   ./kvmsh ...' line says how to run it"));
            int expected = lines.stream().filter(l -> l.startsWith("# exit status: ")).findFirst()
                    .map(l -> Integer.parseInt(l.substring("# exit status: ".length()).trim().split(" ")[0])).orElse(0);
            List<String> args = new ArrayList<>();
            for (String word : words(header.replaceFirst("#\\s+\\./kvmsh ", ""))) {
                args.add(word.startsWith("docs/examples/") ? script.toString() : word);
            }
            Run r = kvmsh(args.toArray(String[]::new));
            String all = r.out + r.err;
            assertTrue(script.getFileName() + " printed a Java exception:\n" + all,
                    !all.matches("(?s).*(Exception|Error)(:|\\n| at ).*"));
            assertEquals(script.getFileName() + ":\n" + all, expected, r.status);
        }
    }

    /** sh's words of a command line: blanks split, double quotes group. */
    private static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean quoted = false, any = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (c == ' ' && !quoted) {
                if (any) {
                    words.add(w.toString());
                }
                w.setLength(0);
                any = false;
            } else {
                w.append(c);
                any = true;
            }
        }
        if (any) {
            words.add(w.toString());
        }
        return words;
    }

    private Run kvmsh(String... args) throws IOException, InterruptedException {
        return finish(start(List.of(), args), String.join(" ", args));
    }

    /** Starts kvmsh, {@code prefix} (a command such as env) in front of its JVM. */
    private Process start(List<String> prefix, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        List<String> jvm = jvm(tmp.getRoot().toPath().resolve("state"));
        if (archive != null) {
            jvm.add(1, "-XX:SharedArchiveFile=" + archive);
        }
        cmd.addAll(jvm);
        cmd.add("org.kvmosgi.launcher.Main");
        cmd.addAll(List.of(args));
        out = tmp.newFile().toPath();
        err = tmp.newFile().toPath();
        return new ProcessBuilder(cmd).directory(tmp.getRoot())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    }

    private Path out;
    private Path err;

    /** Waits for the kvmsh {@link #start} started and collects what it printed. */
    private Run finish(Process p, String what) throws IOException, InterruptedException {
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("kvmsh " + what + " did not end within 60 s");
        }
        Run r = new Run();
        r.status = p.exitValue();
        r.out = Files.readString(out, StandardCharsets.UTF_8);
        r.err = Files.readString(err, StandardCharsets.UTF_8);
        return r;
    }
}
