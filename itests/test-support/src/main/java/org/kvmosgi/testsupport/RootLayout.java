package org.kvmosgi.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kvmosgi.launcher.RootFs;

/**
 * A test's root directory, laid out by the launcher's {@link RootFs} exactly as kvmsh
 * lays out a boot's root ({@code lib/modules/RELEASE/} with the module files of the
 * chosen features, {@code etc/modprobe.d/FEATURE.conf}, {@code etc/modules-load.d/}),
 * plus the test's own modules-load.d and modprobe.d files. Each feature added lays the
 * whole root out again (RootFs starts from a clean root) and writes the test's files back.
 */
public final class RootLayout {
    public static final String DEFAULT_RELEASE = RootFs.DEFAULT_RELEASE;

    private final Path root;
    private final String release;
    private final Distribution dist;
    private final List<String> features = new ArrayList<>(List.of(RootFs.PLATFORM));
    /** module name -> its file below the root. */
    private final Map<String, Path> modules = new LinkedHashMap<>();
    /** the test's own module files: path below the module directory -> the bundle to copy there. */
    private final Map<String, Path> ownModules = new LinkedHashMap<>();
    /** the test's own files: path below the root -> content. */
    private final Map<String, String> ownFiles = new LinkedHashMap<>();
    private List<Path> bundles = List.of();

    private RootLayout(Path root, String release, Distribution dist) {
        this.root = root;
        this.release = release;
        this.dist = dist;
        relayout();
    }

    static RootLayout fresh(String release, Distribution dist) {
        try {
            Path base = Path.of(System.getProperty("kvmosgi.itest.roots", System.getProperty("java.io.tmpdir")));
            Files.createDirectories(base);
            return new RootLayout(Files.createTempDirectory(base, "kvmosgi-root-").toAbsolutePath(), release, dist);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path root() {
        return root;
    }

    public String release() {
        return release;
    }

    public Path moduleDir() {
        return root.resolve("lib/modules").resolve(release);
    }

    /** The bundle files of the platform feature, in start order. */
    List<Path> platformBundles() {
        return bundles;
    }

    /** Adds a module-set feature: its module files and modprobe.d text. */
    void addFeature(String name) {
        if (!features.contains(name)) {
            features.add(name);
            relayout();
        }
    }

    private void relayout() {
        try {
            List<Path> all = RootFs.create(dist.layoutSource(features), features, root, release);
            if (features.size() == 1) {
                bundles = all;
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot lay out " + root + ": " + e.getMessage(), e);
        }
        modules.clear();
        for (String f : features.subList(1, features.size())) {
            for (Distribution.ModuleFile m : dist.modules(dist.feature(f))) {
                modules.put(m.name(), moduleDir().resolve(m.file()).normalize());
            }
        }
        ownFiles.forEach(this::write);
        ownModules.forEach(this::copyModule);
    }

    /** A module file of the test's own (a module bundle it built), at {@code extra/FILE} below the module directory. */
    void addModuleFile(String file, Path bundle) {
        if (!Files.isRegularFile(bundle)) {
            throw new IllegalArgumentException("no module bundle at " + bundle.toAbsolutePath()
                    + " (built in the package phase: run the test in integration-test, e.g. with failsafe)");
        }
        ownModules.put("extra/" + file, bundle.toAbsolutePath());
        copyModule("extra/" + file, bundle);
    }

    private void copyModule(String rel, Path bundle) {
        try {
            Path f = moduleDir().resolve(rel);
            Files.createDirectories(f.getParent());
            Files.copy(bundle, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            String name = f.getFileName().toString();
            modules.put(name.substring(0, name.length() - ".ko".length()).replace('-', '_'), f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file of a module laid out here, or null. */
    public Path module(String name) {
        return modules.get(name.replace('-', '_'));
    }

    /** A modprobe.d file of the test's own. */
    void writeModprobeConf(String name, String text) {
        own("etc/modprobe.d/" + name + ".conf", text, false);
    }

    /** Appends module names to etc/modules-load.d/kvmosgi-test.conf, one a line. */
    void modulesLoad(String... names) {
        StringBuilder sb = new StringBuilder();
        for (String n : names) {
            sb.append(n).append('\n');
        }
        own("etc/modules-load.d/kvmosgi-test.conf", sb.toString(), true);
    }

    private void own(String rel, String text, boolean append) {
        ownFiles.merge(rel, text, (old, add) -> append ? old + add : add);
        write(rel, ownFiles.get(rel));
    }

    private void write(String rel, String text) {
        try {
            Path f = root.resolve(rel);
            Files.createDirectories(f.getParent());
            Files.writeString(f, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
