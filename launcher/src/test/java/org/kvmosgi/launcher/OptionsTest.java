package org.kvmosgi.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;
import org.junit.Test;
import org.kvmosgi.launcher.Options.Mode;
import org.kvmosgi.launcher.Options.UsageException;

public class OptionsTest {

    @Test
    public void noArgumentsIsTheInteractiveShellOnTheDefaultHost() throws Exception {
        Options o = Options.parse();
        assertEquals(Mode.INTERACTIVE, o.mode());
        assertEquals("intel", o.host());
        assertTrue(o.features().isEmpty());
        assertEquals("", o.cmdline());
        assertNull(o.commands());
        assertNull(o.script());
    }

    @Test
    public void theShellIsSealedUnlessUnsealedIsGiven() throws Exception {
        assertTrue(!Options.parse("-c", "lsmod").unsealed());
        assertTrue(Options.parse("--unsealed", "-c", "lsmod").unsealed());
        assertTrue(Options.parse("--unsealed").unsealed());
    }

    @Test
    public void dashCRunsCommands() throws Exception {
        Options o = Options.parse("-c", "insmod /x.ko; lsmod");
        assertEquals(Mode.COMMAND, o.mode());
        assertEquals("insmod /x.ko; lsmod", o.commands());
    }

    @Test
    public void aFileIsAScript() throws Exception {
        Options o = Options.parse("--host", "amd", "boot.kvmsh");
        assertEquals(Mode.SCRIPT, o.mode());
        assertEquals("boot.kvmsh", o.script());
        assertEquals("amd", o.host());
    }

    @Test
    public void optionsTakeSeparateOrAttachedValues() throws Exception {
        Options o = Options.parse("--host=power9", "--feature", "fixtures", "--feature=kvm-ppc",
                "--cmdline", "kvm_hv.nested=1 module_blacklist=kvm_pr", "-c", "lsmod");
        assertEquals("power9", o.host());
        assertEquals(List.of("fixtures", "kvm-ppc"), o.features());
        assertEquals("kvm_hv.nested=1 module_blacklist=kvm_pr", o.cmdline());
    }

    @Test
    public void hostHelpListsTheProfiles() throws Exception {
        Options o = Options.parse("--host", "help");
        assertEquals(Mode.HOSTS, o.mode());
        assertEquals("intel", o.host());
    }

    @Test
    public void helpWinsOverEverythingElse() throws Exception {
        assertEquals(Mode.HELP, Options.parse("-h").mode());
        assertEquals(Mode.HELP, Options.parse("--host", "amd", "--help").mode());
    }

    @Test
    public void doubleDashEndsOptions() throws Exception {
        Options o = Options.parse("--", "-script-with-dash");
        assertEquals(Mode.SCRIPT, o.mode());
        assertEquals("-script-with-dash", o.script());
    }

    @Test
    public void aDashCCommandMayStartWithADash() throws Exception {
        assertEquals("-x", Options.parse("-c", "-x").commands());
    }

    @Test
    public void mistakesAreOneClearLine() {
        assertUsage("unknown option '-x' (./kvmsh --help lists the options)", "-x");
        assertUsage("unknown option '--hots' (./kvmsh --help lists the options)", "--hots", "amd");
        assertUsage("option -c needs the commands to run, e.g. -c \"lsmod\"", "-c");
        assertUsage("option --host needs a host profile (--host help lists them)", "--host");
        assertUsage("option --host needs a host profile (--host help lists them)", "--host=");
        assertUsage("option --host given twice", "--host", "amd", "--host", "intel");
        assertUsage("option --feature needs a feature name, e.g. fixtures", "--feature");
        assertUsage("option --feature needs a feature name, e.g. fixtures (got '../x')", "--feature", "../x");
        assertUsage("--feature names a module set; the platform is always there", "--feature", "platform");
        assertUsage("give either -c \"COMMANDS\" or a script FILE, not both", "-c", "lsmod", "a.kvmsh");
        assertUsage("unexpected argument 'b' after the script a.kvmsh", "a.kvmsh", "b");
        assertUsage("--host help lists the host profiles; it takes no commands or script", "--host", "help", "-c", "lsmod");
        assertUsage("option -c given twice (join the commands with ';')", "-c", "a", "-c", "b");
    }

    private static void assertUsage(String message, String... args) {
        try {
            Options.parse(args);
            fail("accepted " + List.of(args));
        } catch (UsageException e) {
            assertEquals(message, e.getMessage());
        }
    }
}
