package org.kvmosgi.testsupport;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemPackages;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.kvmosgi.launcher.Main;
import org.kvmosgi.launcher.PlatformProperties;
import org.ops4j.pax.exam.Option;

/**
 * Pax Exam options that boot the kvm-osgi platform, for this project's itests and for
 * anyone testing modules against it:
 *
 * <pre>
 * &#64;RunWith(PaxExam.class)
 * &#64;ExamReactorStrategy(PerClass.class)
 * public class MyTest {
 *     &#64;Configuration
 *     public Option[] config() {
 *         return options(KvmOsgi.platform(), KvmOsgi.host("intel"), KvmOsgi.feature("fixtures"),
 *                 KvmOsgi.load("mod_exporter"));
 *     }
 * }
 * </pre>
 *
 * Every {@link #platform()} lays out a fresh root directory; the options after it in the
 * same {@code options(...)} call (feature, load, module) fill that root. The platform's
 * bundles are provisioned by file path from the distribution (system property
 * {@value Distribution#DIST_PROPERTY}), never through a remote repository: pax-url is set
 * offline on the local repository for the few bundles Pax Exam itself brings.
 */
public final class KvmOsgi {
    public static final String HOST = PlatformProperties.HOST;
    public static final String ROOT = PlatformProperties.ROOT;
    public static final String RELEASE = PlatformProperties.RELEASE;
    public static final String CMDLINE = PlatformProperties.CMDLINE;

    private static final String SYSTEM_PACKAGES_EXTRA = "org.osgi.framework.system.packages.extra";

    private static Distribution dist;
    private static RootLayout current;
    private static boolean currentHasPlatform;

    private KvmOsgi() {}

    /**
     * The platform feature's bundles (started in its order), junit for the probe, and
     * the framework properties naming a fresh root directory and the kernel release.
     */
    public static synchronized Option platform() {
        if (current == null || currentHasPlatform) {
            current = RootLayout.fresh(RootLayout.DEFAULT_RELEASE, distribution());
        }
        currentHasPlatform = true;
        offlinePaxUrl(distribution());
        List<Option> opts = new ArrayList<>();
        opts.add(frameworkProperty(ROOT).value(current.root().toString()));
        opts.add(frameworkProperty(RELEASE).value(current.release()));
        // the framework properties kvmsh boots with (logging to the file log, Gogo's
        // background session quiet, ...), so that tests run the platform as users do
        for (Map.Entry<String, String> p : launcherProperties(home(distribution(), current)).entrySet()) {
            if (p.getKey().equals(SYSTEM_PACKAGES_EXTRA)) {
                // Pax Exam sets this property itself (its probe needs it): add to it instead
                opts.add(systemPackages(p.getValue().split(",")));
            } else {
                opts.add(frameworkProperty(p.getKey()).value(p.getValue()));
            }
        }
        // etc/logback.xml writes ${kvmosgi.state}/log/kvmsh.log: one state directory per root
        System.setProperty(Main.STATE_PROPERTY, current.root() + ".state");
        System.setProperty("org.jline.terminal.dumb", "true");
        // pax-logging's fallback logger, used by Pax Exam's bundles before the backend is up,
        // reads its level from the system properties too
        setIfAbsent("org.ops4j.pax.logging.DefaultServiceLog.level", "ERROR");
        for (Path b : current.platformBundles()) {
            opts.add(bundle(b.toUri().toString()));
        }
        opts.add(junitBundles());
        opts.add(bundle(kitBundle().toUri().toString()));
        if (distribution().usedStandIns()) {
            System.err.println("kvmosgi test-support: " + distribution().dir()
                    + " is missing feature files or bundles; took them from the local Maven repository");
        }
        return composite(opts.toArray(new Option[0]));
    }

    /**
     * The distribution's directory, or, when there is none (a project that knows the platform
     * by Maven coordinates only), a stand-in with the one file Gogo jline's background
     * session must find there: without its own etc/gosh_profile it runs the interactive
     * default profile and fails for want of a terminal.
     */
    private static Path home(Distribution d, RootLayout root) {
        if (Files.isRegularFile(d.dir().resolve("etc/gosh_profile"))) {
            return d.dir();
        }
        Path home = Path.of(root.root() + ".state", "home");
        try {
            Files.createDirectories(home.resolve("etc"));
            Files.writeString(home.resolve("etc/gosh_profile"), "e = { $exception printStackTrace }\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return home;
    }

    /** The host profile ({@code intel}, {@code amd}, {@code intel-vmx-off}, {@code power9}...). */
    public static Option host(String profile) {
        return frameworkProperty(HOST).value(profile);
    }

    /** The kernel command line ({@code module_blacklist=a,b mod.param=v}). */
    public static Option cmdline(String cmdline) {
        return frameworkProperty(CMDLINE).value(cmdline);
    }

    /**
     * Puts a module set's bundles into the root's module directory (as files, not
     * started: modprobe and insmod load them) and its modprobe.d text into
     * {@code /etc/modprobe.d/NAME.conf}.
     */
    public static synchronized Option feature(String name) {
        root().addFeature(name);
        return composite();
    }

    /**
     * A module set's own bundles (for kvm-x86: the KVM headers and the VMM, kvmtool's {@code vm}),
     * installed and started as kvmsh starts them; {@link #feature} lays out its module files.
     */
    public static synchronized Option featureBundles(String name) {
        List<Option> opts = new ArrayList<>();
        for (Path b : distribution().bundles(distribution().feature(name))) {
            opts.add(bundle(b.toUri().toString()));
        }
        return composite(opts.toArray(new Option[0]));
    }

    /**
     * A module of the test's own: the bundle it built (with {@code @Module} on its class)
     * becomes {@code /lib/modules/RELEASE/extra/FILE}, where Linux installs out-of-tree
     * modules; depmod at boot indexes it, so {@code modprobe NAME} finds it.
     */
    public static synchronized Option moduleFile(String file, Path bundle) {
        if (!file.endsWith(".ko") || file.contains("/")) {
            throw new IllegalArgumentException("a module file is NAME.ko, not " + file);
        }
        root().addModuleFile(file, bundle);
        return composite();
    }

    /**
     * A modprobe.d file of the test's own: {@code /etc/modprobe.d/NAME.conf} with
     * {@code options}, {@code alias}, {@code blacklist}, {@code softdep} lines.
     */
    public static synchronized Option modprobeConf(String name, String text) {
        root().writeModprobeConf(name, text.endsWith("\n") ? text : text + "\n");
        return composite();
    }

    /** Modules the platform loads at boot: lines in {@code /etc/modules-load.d/kvmosgi-test.conf}. */
    public static synchronized Option load(String... modules) {
        root().modulesLoad(modules);
        return composite();
    }

    /**
     * Installs one module of a feature (laid out by {@link #feature}) as a bundle that is
     * not started, from its file in the module directory: the test starts it itself, e.g.
     * to see {@code Bundle.start()} fail with the module's init error. Its location is the
     * file's URI, the one finit_module of the same file uses.
     */
    public static synchronized Option module(String name) {
        Path file = root().module(name);
        if (file == null) {
            throw new IllegalArgumentException("module " + name + " is not in the features laid out so far");
        }
        return composite(bundle(file.toUri().toString()).noStart(), resolveAll());
    }

    private static Path resolveAllBundle;

    /** A bundle whose start resolves every installed bundle (see {@code ResolveAll}). */
    private static Option resolveAll() {
        if (resolveAllBundle == null) {
            String cls = "org/kvmosgi/testsupport/resolve/ResolveAll.class";
            Manifest mf = new Manifest();
            Attributes a = mf.getMainAttributes();
            a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
            a.putValue("Bundle-ManifestVersion", "2");
            a.putValue("Bundle-SymbolicName", "org.kvmosgi.testsupport.resolve");
            a.putValue("Bundle-Version", "1.0.0");
            a.putValue("Bundle-Activator", "org.kvmosgi.testsupport.resolve.ResolveAll");
            a.putValue("Import-Package", "org.osgi.framework,org.osgi.framework.wiring");
            try (InputStream in = KvmOsgi.class.getClassLoader().getResourceAsStream(cls)) {
                Path jar = Files.createTempFile("kvmosgi-resolve-all", ".jar");
                jar.toFile().deleteOnExit();
                try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), mf)) {
                    out.putNextEntry(new JarEntry(cls));
                    in.transferTo(out);
                    out.closeEntry();
                }
                resolveAllBundle = jar;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return bundle(resolveAllBundle.toUri().toString());
    }

    /** What the kit's classes import: {@code KitBundleTest} checks it against bnd's analysis of them. */
    static final String KIT_IMPORTS = "org.apache.felix.service.command,org.hamcrest,org.kvmosgi.console.api,"
            + "org.kvmosgi.kernel.api,org.kvmosgi.kernel.api.syscall";
    static final String KIT_PACKAGE = "org.kvmosgi.testsupport.kit";
    private static Path kitBundle;

    /**
     * The kit ({@code org.kvmosgi.testsupport.kit}) as a bundle, packed from this jar's own
     * classes: test methods run inside the framework, where only bundles' packages are seen.
     */
    static synchronized Path kitBundle() {
        if (kitBundle == null) {
            String dir = KIT_PACKAGE.replace('.', '/') + "/";
            Manifest mf = new Manifest();
            Attributes a = mf.getMainAttributes();
            a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
            a.putValue("Bundle-ManifestVersion", "2");
            a.putValue("Bundle-SymbolicName", KIT_PACKAGE);
            a.putValue("Bundle-Version", "1.0.0");
            a.putValue("Export-Package", KIT_PACKAGE + ";version=\"1.0.0\"");
            a.putValue("Import-Package", KIT_IMPORTS);
            try {
                Path jar = Files.createTempFile("kvmosgi-test-kit", ".jar");
                jar.toFile().deleteOnExit();
                try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), mf)) {
                    for (String name : classesOf(dir)) {
                        try (InputStream in = KvmOsgi.class.getClassLoader().getResourceAsStream(dir + name)) {
                            out.putNextEntry(new JarEntry(dir + name));
                            in.transferTo(out);
                            out.closeEntry();
                        }
                    }
                }
                kitBundle = jar;
            } catch (IOException | java.net.URISyntaxException e) {
                throw new IllegalStateException("cannot pack the test kit bundle: " + e, e);
            }
        }
        return kitBundle;
    }

    /** The class files of a package directory of this jar (or classes directory). */
    private static List<String> classesOf(String dir) throws IOException, java.net.URISyntaxException {
        Path src = Path.of(KvmOsgi.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> out = new ArrayList<>();
        if (Files.isDirectory(src)) {
            try (var s = Files.list(src.resolve(dir))) {
                s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".class")).sorted().forEach(out::add);
            }
        } else {
            try (java.util.jar.JarFile jar = new java.util.jar.JarFile(src.toFile())) {
                jar.stream().map(JarEntry::getName).filter(n -> n.startsWith(dir) && n.endsWith(".class")
                        && n.indexOf('/', dir.length()) < 0).sorted().forEach(n -> out.add(n.substring(dir.length())));
            }
        }
        return out;
    }

    /** The root directory of the latest {@link #platform()} (for driver-side checks). */
    public static synchronized RootLayout root() {
        if (current == null) {
            current = RootLayout.fresh(RootLayout.DEFAULT_RELEASE, distribution());
            currentHasPlatform = false;
        }
        return current;
    }

    public static synchronized Distribution distribution() {
        if (dist == null) {
            dist = Distribution.find();
        }
        return dist;
    }

    /**
     * pax-url resolves Pax Exam's own bundles (mvn: URLs behind its link: files) in this
     * JVM: point it at the local repository only, offline, with a settings file of its own.
     */
    private static void offlinePaxUrl(Distribution d) {
        String repo = d.localRepository().toString();
        try {
            Path settings = Files.createTempFile("kvmosgi-pax-url-settings", ".xml");
            settings.toFile().deleteOnExit();
            Files.writeString(settings, "<settings>\n  <localRepository>" + repo + "</localRepository>\n"
                    + "  <offline>true</offline>\n</settings>\n", StandardCharsets.UTF_8);
            setIfAbsent("org.ops4j.pax.url.mvn.settings", settings.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        setIfAbsent("org.ops4j.pax.url.mvn.localRepository", repo);
        setIfAbsent("org.ops4j.pax.url.mvn.offline", "true");
        setIfAbsent("org.ops4j.pax.url.mvn.repositories", "");
        setIfAbsent("org.ops4j.pax.url.mvn.defaultRepositories", d.localRepository().toUri() + "@snapshots@id=local");
        setIfAbsent("org.ops4j.pax.url.mvn.useFallbackRepositories", "false");
    }

    /** The launcher's own framework properties, as kvmsh boots with them. */
    static Map<String, String> launcherProperties(Path dist) {
        return new TreeMap<>(PlatformProperties.platform(dist));
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
