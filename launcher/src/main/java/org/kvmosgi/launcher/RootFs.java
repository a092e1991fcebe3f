package org.kvmosgi.launcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.kvmosgi.kernel.api.modinfo.ModuleInfo;
import org.osgi.service.feature.Feature;
import org.osgi.service.feature.FeatureArtifact;
import org.osgi.service.feature.FeatureBundle;
import org.osgi.service.feature.FeatureExtension;
import org.osgi.service.feature.FeatureService;
import org.osgi.service.feature.ID;

/**
 * Lays out the root file system of one boot from feature files (docs/CONTRACTS.md), for
 * the launcher and for test-support.
 *
 * <p>The distribution directory holds {@code features/NAME.json} and, in Maven repository
 * layout, every artifact they name in {@code system/}. For each named feature, in order:
 * its bundles join the returned start list; the artifacts of its {@value #MODULES_EXTENSION}
 * extension are copied to {@code lib/modules/RELEASE/FILE} (FILE from the artifact's
 * {@code "file"} metadata); its {@value #MODPROBE_EXTENSION} text becomes
 * {@code etc/modprobe.d/NAME.conf}, its {@value #DEPMOD_EXTENSION} text
 * {@code etc/depmod.d/NAME.conf}. {@code etc/modules-load.d/} is created empty.
 *
 * <p>As kbuild does, it writes {@code modules.order} (the loadable modules, =m, in the
 * features' order) and, for artifacts with metadata {@code "builtin": true} (=y),
 * {@code modules.builtin} and {@code modules.builtin.modinfo} (NUL-separated
 * {@code modname.key=value}) into the module directory. A built-in module's bundle is
 * part of the kernel image: it goes to {@code boot/vmlinux-RELEASE/FILE}, listed in link
 * order by that directory's own {@code modules.builtin}, where the kernel's initcalls find it.
 *
 * <p>Feature files are read with Apache Felix's Feature Service implementation, found
 * through {@link ServiceLoader} as its jar declares it.
 */
public final class RootFs {
    /** The feature whose bundles boot the platform. */
    public static final String PLATFORM = "platform";
    /** The ARTIFACTS extension listing a module set's module bundles. */
    public static final String MODULES_EXTENSION = "kvmosgi-modules";
    /** The TEXT extension holding a module set's modprobe.d configuration. */
    public static final String MODPROBE_EXTENSION = "kvmosgi-modprobe.d";
    /** The TEXT extension holding a module set's depmod.d configuration. */
    public static final String DEPMOD_EXTENSION = "kvmosgi-depmod.d";
    /** The artifact metadata naming the module file below /lib/modules/RELEASE/. */
    public static final String FILE_METADATA = "file";
    /** The artifact metadata making a module built-in (=y): part of the kernel image. */
    public static final String BUILTIN_METADATA = "builtin";
    /** The kernel image's directory below the root, followed by the release. */
    public static final String IMAGE_DIR = "boot/vmlinux-";
    /** uname -r when nobody says otherwise (CONTRACTS.md). */
    public static final String DEFAULT_RELEASE = "6.13.0-kvmosgi";
    /**
     * Written into every root this class lays out: a directory carrying it may be wiped
     * and laid out again; any other non-empty directory is refused, so that a wrong
     * argument never deletes somebody's files.
     */
    public static final String MARKER = ".kvmosgi-root";

    private RootFs() {
    }

    /** {@link #create(Path, List, Path, String)} for the default release. */
    public static List<Path> create(Path distribution, List<String> featureNames, Path root) throws IOException {
        return create(distribution, featureNames, root, DEFAULT_RELEASE);
    }

    /**
     * Lays out a fresh root directory and returns the bundle files of the named features,
     * in start order (the order of the features, then the order inside each).
     *
     * @param distribution the distribution directory (e.g. {@code launcher/target/kvmosgi})
     * @param featureNames e.g. {@code ["platform", "fixtures"]}
     * @param root the root directory: absent, empty, or laid out by this class before
     * @param release the kernel release naming {@code lib/modules/RELEASE}
     * @throws IOException with a message fit for the user when a feature or an artifact is
     *         missing, or the root cannot be laid out
     */
    public static List<Path> create(Path distribution, List<String> featureNames, Path root, String release)
            throws IOException {
        return create(distribution, featureNames, root, release, new ArrayList<>());
    }

    /** {@link #create(Path, List, Path, String)} that also adds every file it read to {@code sources}. */
    static List<Path> create(Path distribution, List<String> featureNames, Path root, String release,
            List<Path> sources) throws IOException {
        List<Feature> features = new ArrayList<>();
        for (String name : featureNames) {
            features.add(readFeature(distribution, name));
            sources.add(distribution.resolve("features").resolve(name + ".json"));
        }
        Path system = distribution.resolve("system");

        prepare(root);
        Path modules = root.resolve("lib/modules").resolve(release);
        Files.createDirectories(modules);
        Files.createDirectories(root.resolve("etc/modprobe.d"));
        Files.createDirectories(root.resolve("etc/modules-load.d"));
        Path image = root.resolve(IMAGE_DIR + release);
        StringBuilder order = new StringBuilder();
        StringBuilder builtin = new StringBuilder();
        StringBuilder builtinModinfo = new StringBuilder();

        Set<Path> bundles = new LinkedHashSet<>();
        for (int i = 0; i < features.size(); i++) {
            Feature feature = features.get(i);
            String name = featureNames.get(i);
            for (FeatureBundle bundle : feature.getBundles()) {
                bundles.add(artifact(system, name, bundle.getID()));
            }
            FeatureExtension moduleSet = feature.getExtensions().get(MODULES_EXTENSION);
            if (moduleSet != null) {
                if (moduleSet.getType() != FeatureExtension.Type.ARTIFACTS) {
                    throw new IOException("feature " + name + ": extension " + MODULES_EXTENSION + " must list artifacts");
                }
                for (FeatureArtifact module : moduleSet.getArtifacts()) {
                    Path source = artifact(system, name, module.getID());
                    sources.add(source);
                    Path target = moduleFile(modules, name, module);
                    String rel = modules.relativize(target).toString().replace('\\', '/');
                    if (isBuiltin(module)) {
                        target = image.resolve(rel);
                        builtin.append(rel).append('\n');
                        builtinModinfo.append(builtinModinfo(source, rel));
                    } else {
                        order.append(rel).append('\n');
                    }
                    Files.createDirectories(target.getParent());
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            FeatureExtension modprobe = feature.getExtensions().get(MODPROBE_EXTENSION);
            if (modprobe != null) {
                if (modprobe.getType() != FeatureExtension.Type.TEXT) {
                    throw new IOException("feature " + name + ": extension " + MODPROBE_EXTENSION + " must be text");
                }
                StringBuilder conf = new StringBuilder();
                for (String line : modprobe.getText()) {
                    conf.append(line).append('\n');
                }
                Files.writeString(root.resolve("etc/modprobe.d").resolve(name + ".conf"), conf);
            }
            FeatureExtension depmod = feature.getExtensions().get(DEPMOD_EXTENSION);
            if (depmod != null) {
                if (depmod.getType() != FeatureExtension.Type.TEXT) {
                    throw new IOException("feature " + name + ": extension " + DEPMOD_EXTENSION + " must be text");
                }
                Path dir = root.resolve("etc/depmod.d");
                Files.createDirectories(dir);
                Files.writeString(dir.resolve(name + ".conf"), String.join("\n", depmod.getText()) + "\n");
            }
        }
        sources.addAll(bundles);
        Files.writeString(modules.resolve("modules.order"), order);
        if (builtin.length() > 0) {
            Files.writeString(modules.resolve("modules.builtin"), builtin);
            Files.writeString(modules.resolve("modules.builtin.modinfo"), builtinModinfo);
            Files.writeString(image.resolve("modules.builtin"), builtin);
        }
        return new ArrayList<>(bundles);
    }

    /** Whether a module artifact is built in (=y): metadata {@code "builtin": true}. */
    public static boolean isBuiltin(FeatureArtifact module) {
        Object b = module.getMetadata().get(BUILTIN_METADATA);
        return Boolean.TRUE.equals(b) || "true".equals(b);
    }

    /**
     * A built-in module's entries of modules.builtin.modinfo: its .modinfo strings as
     * {@code modname.key=value}, each ended by NUL, with kbuild's {@code file=} (the path
     * without .ko) before the license, where MODULE_LICENSE puts it.
     */
    static String builtinModinfo(Path bundle, String rel) throws IOException {
        ModuleInfo m = module(bundle);
        String file = rel.startsWith("kernel/") ? rel.substring("kernel/".length()) : rel;
        file = file.endsWith(".ko") ? file.substring(0, file.length() - 3) : file;
        List<Map.Entry<String, String>> strings = new ArrayList<>(m.strings());
        strings.addAll(m.paramStrings());
        StringBuilder b = new StringBuilder();
        boolean fileDone = false;
        for (Map.Entry<String, String> kv : strings) {
            String key = kv.getKey();
            if (!fileDone && (key.equals("license") || key.equals("parm") || key.equals("parmtype"))) {
                b.append(m.name()).append(".file=").append(file).append('\0');
                fileDone = true;
            }
            b.append(m.name()).append('.').append(key).append('=').append(kv.getValue()).append('\0');
        }
        if (!fileDone) {
            b.append(m.name()).append(".file=").append(file).append('\0');
        }
        return b.toString();
    }

    /** A module bundle's .modinfo (kernel-api's reader); an IOException names the file when it is none. */
    static ModuleInfo module(Path bundle) throws IOException {
        try {
            return ModuleInfo.read(bundle);
        } catch (ModuleInfo.NotAModule e) {
            throw new IOException(bundle + " is not a module: " + e.getMessage());
        }
    }

    /** Reads {@code features/NAME.json} of the distribution. */
    public static Feature readFeature(Path distribution, String name) throws IOException {
        Path file = distribution.resolve("features").resolve(name + ".json");
        if (!Files.isRegularFile(file)) {
            List<String> known = availableFeatures(distribution);
            throw new IOException("unknown feature '" + name + "'"
                    + (known.isEmpty() ? " (" + distribution.resolve("features") + " holds none)"
                            : " (available: " + String.join(", ", known) + ")"));
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return featureService().readFeature(reader);
        } catch (RuntimeException e) {
            // the JSON parser and the feature builder report malformed files with runtime exceptions
            throw new IOException("feature file " + file + " is not valid Feature JSON: " + e.getMessage(), e);
        }
    }

    /** The names of the distribution's feature files, sorted. */
    public static List<String> availableFeatures(Path distribution) throws IOException {
        List<String> names = new ArrayList<>();
        Path dir = distribution.resolve("features");
        if (!Files.isDirectory(dir)) {
            return names;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path f : files) {
                String n = f.getFileName().toString();
                names.add(n.substring(0, n.length() - ".json".length()));
            }
        }
        Collections.sort(names);
        return names;
    }

    /** Where an artifact lies in a Maven repository layout: group/as/path/artifact/version/artifact-version[-classifier].type */
    public static Path repositoryPath(Path repository, ID id) {
        String type = id.getType().orElse("jar");
        String file = id.getArtifactId() + "-" + id.getVersion()
                + id.getClassifier().map(c -> "-" + c).orElse("") + "." + type;
        return repository.resolve(id.getGroupId().replace('.', '/'))
                .resolve(id.getArtifactId()).resolve(id.getVersion()).resolve(file);
    }

    private static Path artifact(Path system, String feature, ID id) throws IOException {
        Path file = repositoryPath(system, id);
        if (!Files.isRegularFile(file)) {
            throw new IOException("feature " + feature + " names " + id + ", which is missing from " + system
                    + " (rebuild the distribution: mvn -DskipTests install)");
        }
        return file;
    }

    private static Path moduleFile(Path modules, String feature, FeatureArtifact module) throws IOException {
        Object file = module.getMetadata().get(FILE_METADATA);
        if (!(file instanceof String) || ((String) file).isEmpty()) {
            throw new IOException("feature " + feature + ": module " + module.getID()
                    + " needs metadata \"" + FILE_METADATA + "\" (its path below /lib/modules/<release>/)");
        }
        Path target = modules.resolve((String) file).normalize();
        if (!target.startsWith(modules) || target.equals(modules)) {
            throw new IOException("feature " + feature + ": module " + module.getID() + " has file \"" + file
                    + "\", which is not a path below /lib/modules/<release>/");
        }
        return target;
    }

    /** Makes {@code root} an empty directory carrying the marker. */
    static void prepare(Path root) throws IOException {
        if (Files.isDirectory(root)) {
            boolean empty;
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
                empty = !entries.iterator().hasNext();
            }
            if (!empty) {
                if (!Files.exists(root.resolve(MARKER))) {
                    throw new IOException("refusing to lay out a root file system in " + root
                            + ": it is not empty and was not laid out by kvm-osgi");
                }
                deleteContents(root);
            }
        } else {
            Files.createDirectories(root);
        }
        Files.writeString(root.resolve(MARKER),
                "laid out by org.kvmosgi.launcher.RootFs; wiped and laid out again at each boot\n");
    }

    /** Deletes everything below {@code dir}, keeping {@code dir}. */
    public static void deleteContents(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                if (!d.equals(dir)) {
                    try {
                        Files.delete(d);
                    } catch (NoSuchFileException gone) {
                        // removed meanwhile: what we wanted
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static FeatureService featureService() throws IOException {
        // the implementation's jar declares itself in META-INF/services; load it with the
        // class loader that holds it (the launcher's), not the thread's context loader
        Iterator<FeatureService> services = ServiceLoader.load(FeatureService.class, RootFs.class.getClassLoader()).iterator();
        if (!services.hasNext()) {
            throw new IOException("no OSGi Feature Service implementation on the class path (org.apache.felix.feature)");
        }
        return services.next();
    }
}
