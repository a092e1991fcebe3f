package org.kvmosgi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.Test;

/**
 * No module keeps state in static fields: every module bundle of the distribution (each
 * bundle declaring a {@code kernel.module} capability, whatever its feature) is scanned.
 * A module's bundle stays installed after unload with its class loader, so a static field
 * would carry state from one load into the next. Plain JUnit: no framework needed.
 */
public class ModuleStaticStateTest {

    @Test
    public void noModuleBundleKeepsStateInStaticFields() throws IOException {
        List<Path> modules = moduleBundles(Path.of(System.getProperty("kvmosgi.dist")).resolve("system"));
        List<String> names = new ArrayList<>();
        List<String> found = new ArrayList<>();
        for (Path jar : modules) {
            try (JarFile j = new JarFile(jar.toFile())) {
                names.add(j.getManifest().getMainAttributes().getValue("Bundle-SymbolicName"));
                for (String v : StaticStateScanner.scan(j)) {
                    found.add(jar.getFileName() + ": " + v);
                }
            }
        }
        assertTrue("the distribution's module bundles include kvm, kvm_intel and the fixtures: " + names,
                names.containsAll(List.of("kvm", "kvm_intel", "mod_exporter")));
        assertEquals("module classes with static state:\n" + String.join("\n", found), List.of(), found);
    }

    @Test
    public void theScannerFindsEachKindOfStaticState() throws IOException {
        String all = String.join("\n", StaticStateScanner.scan(List.of(classFile(Stateful.class))));
        String c = Stateful.class.getName();
        assertTrue(all, all.contains(c + ".counter: static field that is not final"));
        assertTrue(all, all.contains(c + ".hits: static final java.util.concurrent.atomic.AtomicInteger"));
        assertTrue(all, all.contains(c + ".seen: static final collection not made by an unmodifiable factory"));
        assertTrue(all, all.contains(c + ".table: static final array written by " + c + ".bump"));
        assertTrue(all, all.contains(c + ".shared: static final array returned in " + c + ".leak"));
        assertEquals(all, 5, all.split("\n").length);
        assertEquals(List.of(), StaticStateScanner.scan(List.of(classFile(Stateless.class))));
        assertEquals(List.of(Mood.class.getName() + ".level: an enum's instance field that is not final is static state"),
                StaticStateScanner.scan(List.of(classFile(Mood.class))));
    }

    private static List<Path> moduleBundles(Path system) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(system)) {
            for (Path p : (Iterable<Path>) s.filter(f -> f.toString().endsWith(".jar")).sorted()::iterator) {
                try (JarFile j = new JarFile(p.toFile())) {
                    Attributes a = j.getManifest() == null ? null : j.getManifest().getMainAttributes();
                    String caps = a == null ? null : a.getValue("Provide-Capability");
                    if (caps != null && caps.contains("kernel.module;")) {
                        out.add(p);
                    }
                }
            }
        }
        return out;
    }

    private static byte[] classFile(Class<?> c) throws IOException {
        String name = c.getName().substring(c.getName().lastIndexOf('.') + 1) + ".class";
        try (InputStream in = c.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    /** Each kind of static state the scanner must refuse. */
    @SuppressWarnings("unused")
    static final class Stateful {
        static int counter;
        static final int[] table = new int[4];
        static final int[] shared = {1, 2};
        static final AtomicInteger hits = new AtomicInteger();
        static final List<String> seen = new ArrayList<>();

        static void bump(int i) {
            int[] t = table;
            t[i]++;
        }

        static int[] leak() {
            return shared;
        }
    }

    /** Constants only, and a table filled once and only read: what a module may have. */
    @SuppressWarnings("unused")
    static final class Stateless {
        static final int LIMIT = 4;
        static final String NAME = "x";
        static final List<String> NAMES = List.of("a", "b");
        static final Map<String, Integer> SIZES = Map.of("a", 1);
        static final List<String> EMPTY = Collections.emptyList();
        static final int[] SQUARES = new int[8];

        static {
            for (int i = 0; i < SQUARES.length; i++) {
                SQUARES[i] = i * i;
            }
        }

        static int square(int i) {
            return SQUARES[i];
        }
    }

    enum Mood {
        CALM;
        int level;
    }
}
