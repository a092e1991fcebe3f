package org.kvmosgi.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class MainTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    public void aBadOptionIsOneLineOnStderrAndStatus2() throws Exception {
        assertEquals(2, run("--bogus"));
        assertEquals("", text(out));
        assertEquals("kvmsh: unknown option '--bogus' (./kvmsh --help lists the options)\n", text(err));
    }

    @Test
    public void helpGoesToStdout() throws Exception {
        assertEquals(0, run("--help"));
        assertTrue(text(out).startsWith("Usage: ./kvmsh [OPTIONS] [-c \"COMMANDS\" | FILE]\n"));
        assertEquals("", text(err));
    }

    @Test
    public void theHostsArchitecturePicksTheModuleSetOnceItExists() throws IOException {
        Path home = tmp.getRoot().toPath();
        Files.createDirectories(home.resolve("features"));
        Files.writeString(home.resolve("features/fixtures.json"), "{}");
        assertEquals("fixtures", Main.defaultModuleFeature("intel", home));
        assertEquals("fixtures", Main.defaultModuleFeature("power9", home));

        Files.writeString(home.resolve("features/kvm-x86.json"), "{}");
        assertEquals("kvm-x86", Main.defaultModuleFeature("amd", home));
        assertEquals("fixtures", Main.defaultModuleFeature("power9-guest", home));

        Files.writeString(home.resolve("features/kvm-ppc.json"), "{}");
        assertEquals("kvm-ppc", Main.defaultModuleFeature("power8", home));
        assertEquals("kvm-x86", Main.defaultModuleFeature("intel-vmx-off", home));
    }

    private int run(String... args) throws Exception {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static String text(ByteArrayOutputStream s) {
        return s.toString(StandardCharsets.UTF_8);
    }
}
