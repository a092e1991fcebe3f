package org.kvmosgi.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A fresh root directory laid out as CONTRACTS.md says (the launcher's
 * {@code org.kvmosgi.launcher.RootFs} does the same for kvmsh):
 * {@code lib/modules/RELEASE/} with the module files of the chosen features,
 * {@code etc/modprobe.d/FEATURE.conf}, {@code etc/modules-load.d/}.
 */
public final class RootLayout {
    public static final String DEFAULT_RELEASE = "6.13.0-kvmosgi";

    private final Path root;
    private final String release;
    /** module name -> its file below the root. */
    private final Map<String, Path> modules = new LinkedHashMap<>();

    RootLayout(Path root, String release) {
        this.root = root;
        this.release = release;
        try {
            Files.createDirectories(moduleDir());
            Files.createDirectories(root.resolve("etc/modprobe.d"));
            Files.createDirectories(root.resolve("etc/modules-load.d"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RootLayout fresh(String release) {
        try {
            Path base = Path.of(System.getProperty("kvmosgi.itest.roots", System.getProperty("java.io.tmpdir")));
            Files.createDirectories(base);
            return new RootLayout(Files.createTempDirectory(base, "kvmosgi-root-").toAbsolutePath(), release);
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

    /** Puts a module bundle at lib/modules/RELEASE/FILE. */
    void installModule(Distribution.ModuleFile m) {
        Path to = moduleDir().resolve(m.file()).normalize();
        if (!to.startsWith(moduleDir())) {
            throw new IllegalArgumentException("module file " + m.file() + " leaves the module directory");
        }
        try {
            Files.createDirectories(to.getParent());
            Files.copy(m.bundle(), to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        modules.put(m.name(), to);
    }

    /** The file of a module laid out here, or null. */
    public Path module(String name) {
        return modules.get(name.replace('-', '_'));
    }

    void writeModprobeConf(String feature, String text) {
        write(root.resolve("etc/modprobe.d").resolve(feature + ".conf"), text, false);
    }

    /** Appends module names to etc/modules-load.d/kvmosgi-test.conf, one a line. */
    void modulesLoad(String... names) {
        StringBuilder sb = new StringBuilder();
        for (String n : names) {
            sb.append(n).append('\n');
        }
        write(root.resolve("etc/modules-load.d/kvmosgi-test.conf"), sb.toString(), true);
    }

    private static void write(Path f, String text, boolean append) {
        try {
            Files.writeString(f, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
