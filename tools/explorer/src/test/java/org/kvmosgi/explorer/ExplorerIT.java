package org.kvmosgi.explorer;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.Test;

/**
 * The explorer on the real platform (the distribution, two worker JVMs): on diag-fixtures
 * it finds each planted mistake of mod_hvbuggy with a two-step reproducer, and nothing in
 * the careful mod_hvlike.
 */
public class ExplorerIT {
    private static List<String> reproducers(Path out) throws Exception {
        try (Stream<Path> s = Files.list(out)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".kvmsh")).sorted().map(p -> {
                try {
                    return Files.readString(p);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    @Test
    public void findsEachPlantedMistakeAndNothingInTheCarefulModule() throws Exception {
        Path out = Files.createTempDirectory(Path.of("target"), "explore-buggy");
        assertEquals(1, Main.run(new String[] {"--feature", "diag-fixtures", "--modules", "mod_opscore,mod_hvbuggy",
                "--points", "modules", "--depth", "2", "--time", "300", "--out", out.toString()}));
        List<String> scripts = reproducers(out);
        assertEquals(scripts.toString(), 3, scripts.size());
        String all = String.join("\n", scripts);
        assertTrue(all, all.contains("violation 1: ops: opscore_ops dispatches to mod_hvbuggy, which is not loaded\n"));
        assertTrue(all, all.contains("failfn inject mod_hvbuggy:alloc_tables\nmodprobe mod_hvbuggy\ninvariants\n"));
        assertTrue(all, all.contains("failfn: mod_hvbuggy:radix_init failed (injected), yet `modprobe mod_hvbuggy` "
                + "succeeded: the error was ignored"));
        assertTrue(all, all.contains("kmemleak: 1 suspected leaks\n# run: ./kvmsh --host intel --feature "
                + "diag-fixtures"));

        Path clean = Files.createTempDirectory(Path.of("target"), "explore-careful");
        assertEquals(0, Main.run(new String[] {"--feature", "diag-fixtures", "--modules", "mod_opscore,mod_hvlike",
                "--points", "modules", "--depth", "2", "--time", "300", "--out", clean.toString()}));
        assertEquals(List.of(), reproducers(clean));
    }
}
