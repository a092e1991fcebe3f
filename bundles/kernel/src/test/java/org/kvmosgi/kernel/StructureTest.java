package org.kvmosgi.kernel;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.Test;

/**
 * The kernel's subsystems are wired by constructor: none of them knows {@link Kernel} or
 * {@link KernelCore} (only the activator's package builds them), and the packages import
 * each other without a cycle.
 */
public class StructureTest {
    private static final Path SOURCES = Path.of("src/main/java/org/kvmosgi/kernel");
    private static final Pattern IMPORT = Pattern.compile("(?m)^import (?:static )?org\\.kvmosgi\\.kernel\\.([a-z]+)?\\.?([A-Z]\\w*)?");

    /** package -> the kernel packages it imports ("" for org.kvmosgi.kernel itself), api excluded. */
    private static Map<String, Set<String>> imports() throws IOException {
        Map<String, Set<String>> out = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(SOURCES)) {
            files = s.filter(p -> p.toString().endsWith(".java")).toList();
        }
        for (Path f : files) {
            Path dir = SOURCES.relativize(f.getParent());
            String pkg = dir.toString().replace('\\', '/');
            Set<String> into = out.computeIfAbsent(pkg, k -> new TreeSet<>());
            Matcher m = IMPORT.matcher(Files.readString(f));
            while (m.find()) {
                String imported = m.group(1) == null ? "" : m.group(1);
                if (!imported.equals("api") && !imported.equals(pkg)) {
                    into.add(imported);
                }
            }
        }
        return out;
    }

    @Test
    public void onlyTheActivatorKnowsTheKernel() throws IOException {
        List<String> knowing = new ArrayList<>();
        imports().forEach((pkg, imported) -> {
            if (imported.contains("") && !pkg.equals("boot")) {
                knowing.add(pkg);
            }
        });
        assertEquals("packages importing Kernel or KernelCore", List.of(), knowing);
    }

    @Test
    public void thePackagesImportEachOtherWithoutACycle() throws IOException {
        Map<String, Set<String>> graph = imports();
        List<String> cycles = new ArrayList<>();
        for (String start : graph.keySet()) {
            // every package reachable from start; start among them is a cycle
            Set<String> seen = new HashSet<>();
            List<String> todo = new ArrayList<>(graph.getOrDefault(start, Set.of()));
            while (!todo.isEmpty()) {
                String p = todo.remove(todo.size() - 1);
                if (seen.add(p)) {
                    todo.addAll(graph.getOrDefault(p, Set.of()));
                }
            }
            if (seen.contains(start)) {
                cycles.add(start.isEmpty() ? "org.kvmosgi.kernel" : start);
            }
        }
        assertEquals("packages on an import cycle", List.of(), cycles);
    }
}
