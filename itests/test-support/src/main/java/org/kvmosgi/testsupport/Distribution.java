package org.kvmosgi.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.felix.feature.impl.FeatureServiceImpl;
import org.osgi.service.feature.Feature;
import org.osgi.service.feature.FeatureArtifact;
import org.osgi.service.feature.FeatureBundle;
import org.osgi.service.feature.FeatureExtension;
import org.osgi.service.feature.ID;

/**
 * The platform's distribution as the launcher builds it ({@code launcher/target/kvmosgi/}):
 * feature files in {@code features/}, bundles in Maven layout in {@code system/}. Found
 * through the system property {@value #DIST_PROPERTY}. Feature files are read with
 * Felix's Feature Service implementation, as the launcher reads them.
 *
 * <p>Without a distribution (a project that depends on test-support by Maven
 * coordinates), feature files and bundles come from the local Maven repository;
 * {@link #usedStandIns()} says whether that happened.
 */
public final class Distribution {
    public static final String DIST_PROPERTY = "kvmosgi.dist";
    /** The extension of a module-set feature listing its module bundles (CONTRACTS.md). */
    public static final String MODULES_EXTENSION = "kvmosgi-modules";
    /** The optional modprobe.d text of a module-set feature. */
    public static final String MODPROBE_EXTENSION = "kvmosgi-modprobe.d";

    /** A module bundle of a feature and where it goes below /lib/modules/RELEASE/. */
    public record ModuleFile(String name, Path bundle, String file) {}

    private final Path dist;
    private final Path localRepo;
    private boolean standIns;

    Distribution(Path dist, Path localRepo) {
        this.dist = dist;
        this.localRepo = localRepo;
    }

    /** The distribution named by {@value #DIST_PROPERTY} (default {@code launcher/target/kvmosgi}). */
    public static Distribution find() {
        String d = System.getProperty(DIST_PROPERTY, "launcher/target/kvmosgi");
        String repo = System.getProperty("maven.repo.local",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
        return new Distribution(Path.of(d).toAbsolutePath().normalize(), Path.of(repo).toAbsolutePath());
    }

    public Path dir() {
        return dist;
    }

    public Path localRepository() {
        return localRepo;
    }

    /** Whether a feature file or a bundle had to come from outside the distribution. */
    public boolean usedStandIns() {
        return standIns;
    }

    /**
     * Reads a feature: {@code features/NAME.json} of the distribution, else the feature
     * artifact {@code org.kvmosgi:features:json:NAME:VERSION} in the local Maven repository
     * (how a project that depends on test-support by coordinates finds it).
     */
    public Feature feature(String name) {
        Path f = featureFile(name);
        try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            return new FeatureServiceImpl().readFeature(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read feature " + f, e);
        }
    }

    private Path featureFile(String name) {
        Path f = dist.resolve("features").resolve(name + ".json");
        if (!Files.isRegularFile(f)) {
            String v = version();
            Path q = localRepo.resolve("org/kvmosgi/features").resolve(v).resolve("features-" + v + "-" + name + ".json");
            if (!Files.isRegularFile(q)) {
                throw new IllegalArgumentException("no feature '" + name + "': neither " + f + " nor " + q
                        + " exists (build the distribution: mvn install, or set -D" + DIST_PROPERTY + ")");
            }
            standIns = true;
            f = q;
        }
        return f;
    }

    /**
     * A directory in the distribution's layout ({@code features/}, {@code system/}) that
     * holds the named features: the distribution itself when it has them all, else a view
     * of the local Maven repository (the feature artifacts copied, {@code system} linked
     * to the repository).
     */
    Path layoutSource(List<String> names) throws IOException {
        boolean all = names.stream().allMatch(n -> Files.isRegularFile(dist.resolve("features").resolve(n + ".json")));
        if (all) {
            return dist;
        }
        if (view == null) {
            view = Files.createTempDirectory("kvmosgi-dist-view");
            Files.createDirectories(view.resolve("features"));
            Files.createSymbolicLink(view.resolve("system"), localRepo);
        }
        for (String n : names) {
            Path to = view.resolve("features").resolve(n + ".json");
            if (!Files.exists(to)) {
                Files.copy(featureFile(n), to);
            }
        }
        standIns = true;
        return view;
    }

    private Path view;

    /** The bundle files of a feature, in its order. */
    public List<Path> bundles(Feature feature) {
        List<Path> out = new ArrayList<>();
        for (FeatureBundle b : feature.getBundles()) {
            out.add(artifact(b.getID()));
        }
        return out;
    }

    /** The modules of a module-set feature (its {@value #MODULES_EXTENSION} artifacts). */
    public List<ModuleFile> modules(Feature feature) {
        FeatureExtension ext = feature.getExtensions().get(MODULES_EXTENSION);
        if (ext == null) {
            throw new IllegalArgumentException("feature " + feature.getID() + " has no " + MODULES_EXTENSION
                    + " extension: it is not a module set");
        }
        List<ModuleFile> out = new ArrayList<>();
        for (FeatureArtifact a : ext.getArtifacts()) {
            Map<String, Object> meta = a.getMetadata();
            Object file = meta.get("file");
            if (file == null) {
                throw new IllegalArgumentException(a.getID() + " in " + feature.getID() + " has no \"file\"");
            }
            String f = file.toString();
            String base = f.substring(f.lastIndexOf('/') + 1);
            String name = (base.endsWith(".ko") ? base.substring(0, base.length() - 3) : base).replace('-', '_');
            out.add(new ModuleFile(name, artifact(a.getID()), f));
        }
        return out;
    }

    /** The modprobe.d text of a module-set feature, or null. */
    public String modprobeConf(Feature feature) {
        FeatureExtension ext = feature.getExtensions().get(MODPROBE_EXTENSION);
        return ext == null ? null : String.join("\n", ext.getText()) + "\n";
    }

    /** An artifact's file: {@code system/} of the distribution, else the local Maven repository. */
    public Path artifact(ID id) {
        String rel = id.getGroupId().replace('.', '/') + "/" + id.getArtifactId() + "/" + id.getVersion() + "/"
                + id.getArtifactId() + "-" + id.getVersion() + id.getClassifier().map(c -> "-" + c).orElse("")
                + "." + id.getType().orElse("jar");
        Path p = dist.resolve("system").resolve(rel);
        if (Files.isRegularFile(p)) {
            return p;
        }
        Path q = localRepo.resolve(rel);
        if (Files.isRegularFile(q)) {
            standIns = true;
            return q;
        }
        throw new IllegalArgumentException("artifact " + id + " is neither in " + p + " nor in " + q);
    }

    /** This jar's version (the platform version it was built with). */
    static String version() {
        try (InputStream in = Distribution.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException | NullPointerException e) {
            return "unknown";
        }
    }
}
