package org.kvmosgi.itests.diag;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.testsupport.kit.Kernel;
import org.kvmosgi.testsupport.kit.Shell;

/**
 * The pictures in docs/images are drawn by the model: each test loads modules, runs
 * {@code bootgraph} and {@code modgraph} and compares what they wrote with the committed
 * copy. Module graphs must match byte for byte; a bootgraph's times differ every run, so
 * only its initcalls (function, module, result, order) must. {@code -Dkvmosgi.docs.update=true}
 * writes them instead.
 */
public abstract class DocPicturesTestBase {
    @Inject
    Syscalls sys;

    @Inject
    CommandProcessor processor;

    Shell sh;
    Kernel kernel;

    void setUp() {
        sh = new Shell(processor);
        kernel = new Kernel(sys);
    }

    /** Runs {@code command -o /NAME} in the model and checks (or updates) docs/images/NAME against the file it wrote. */
    void picture(String command, String name, boolean exact) throws IOException {
        sh.ok(command + " -o /" + name);
        String drawn = kernel.read("/" + name);
        assertEquals("cat shows what " + command + " wrote", drawn, sh.ok("cat /" + name));
        Path committed = Path.of(System.getProperty("kvmosgi.docs", "docs")).resolve("images").resolve(name);
        if (Boolean.getBoolean("kvmosgi.docs.update")) {
            Files.createDirectories(committed.getParent());
            Files.writeString(committed, drawn, StandardCharsets.UTF_8);
            return;
        }
        String stale = "docs/images/" + name + " is not what the model draws now; regenerate the pictures with"
                + " mvn -B -o verify -pl itests/diag -Dtest='DocPictures*' -Dkvmosgi.docs.update=true";
        assertTrue(stale + " (missing)", Files.isRegularFile(committed));
        String have = Files.readString(committed, StandardCharsets.UTF_8);
        if (exact) {
            assertEquals(stale, have, drawn);
        } else {
            assertEquals(stale, initcalls(have), initcalls(drawn));
        }
    }

    /** A bootgraph's bars without their times: the titles with pid and usecs taken out. */
    static List<String> initcalls(String svg) {
        return svg.lines().map(String::trim).filter(l -> l.startsWith("<title>") && l.contains(" returned "))
                .map(l -> l.replaceAll(" @ \\d+ ", " @ PID ").replaceAll("after \\d+ usecs", "after N usecs")).toList();
    }
}
