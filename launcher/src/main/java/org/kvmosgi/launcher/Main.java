package org.kvmosgi.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * {@code ./kvmsh}: boots the platform feature on an embedded Felix with the console
 * configured from the command line, waits for the console to stop the framework and
 * exits with the status it recorded.
 *
 * <p>Exit statuses of its own: 2 for a command-line mistake or a boot the user's choices
 * made impossible (unknown feature, unknown host profile: the latter reported by the
 * console), 1 when the distribution itself is broken.
 */
public final class Main {
    /** System property: the distribution directory; derived from the launcher jar when unset. */
    public static final String HOME_PROPERTY = "kvmosgi.home";
    /** System property: the state directory (framework storage, root, log, history); default ./.kvmsh */
    public static final String STATE_PROPERTY = "kvmosgi.state";
    /** System property the console sets to the exit status before it stops the framework. */
    public static final String EXIT_STATUS_PROPERTY = "kvmosgi.exit.status";

    /** The state directory's templates of the root file system, one per feature list ({@link RootTemplate}). */
    static final String ROOTS = "roots";

    /** The Gogo command the console provides for --host help. */
    static final String HOSTS_COMMAND = "kvmsh:hosts";

    private Main() {
    }

    public static void main(String[] args) {
        int status;
        try {
            status = run(args, System.out, System.err);
        } catch (Exception | Error e) {
            // a bug or a broken installation, not a user mistake: say what, briefly
            System.err.println("kvmsh: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            status = 1;
        }
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }

    /** Runs kvmsh and returns its exit status; prints only the console's output and kvmsh's own errors. */
    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (Options.UsageException e) {
            err.println("kvmsh: " + e.getMessage());
            return 2;
        }
        if (options.mode() == Options.Mode.HELP) {
            out.println(Options.USAGE);
            return 0;
        }

        Path home = distribution();
        List<String> features = new ArrayList<>();
        features.add(RootFs.PLATFORM);
        if (options.features().isEmpty()) {
            features.add(defaultModuleFeature(options.host(), home));
        } else {
            features.addAll(options.features());
        }
        List<String> available = RootFs.availableFeatures(home);
        for (String f : features) {
            if (!available.contains(f)) {
                err.println("kvmsh: unknown feature '" + f + "' (available: "
                        + String.join(", ", available.stream().filter(n -> !n.equals(RootFs.PLATFORM)).toList()) + ")");
                return 2;
            }
        }

        Map<String, String> config = new HashMap<>();
        switch (options.mode()) {
        case COMMAND:
            config.put("kvmosgi.console", "command");
            config.put("kvmosgi.console.input", options.commands());
            break;
        case HOSTS:
            config.put("kvmosgi.console", "command");
            config.put("kvmosgi.console.input", HOSTS_COMMAND);
            break;
        case SCRIPT:
            Path script = Paths.get(options.script()).toAbsolutePath();
            if (!Files.isRegularFile(script) || !Files.isReadable(script)) {
                err.println("kvmsh: " + options.script() + ": "
                        + (Files.isDirectory(script) ? "Is a directory" : Files.exists(script) ? "Permission denied" : "No such file or directory"));
                return 127;
            }
            config.put("kvmosgi.console", "script");
            config.put("kvmosgi.console.input", script.toString());
            break;
        default:
            if (stdinIsTerminal()) {
                config.put("kvmosgi.console", "interactive");
            } else {
                // `./kvmsh < file` or a pipe: read the commands like sh reads a script from stdin
                config.put("kvmosgi.console", "script");
                config.put("kvmosgi.console.input", "-");
            }
        }

        try (State state = State.open(stateDirectory())) {
            // copying the root laid out once per build (or laying it out after a build)
            // overlaps with the framework's own initialisation
            CompletableFuture<List<Path>> bundles = CompletableFuture.supplyAsync(() -> {
                try {
                    return RootTemplate.create(home, features, stateDirectory().resolve(ROOTS), state.root(),
                            RootFs.DEFAULT_RELEASE);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            config.putAll(PlatformProperties.boot(home, state.dir().resolve("felix-cache"), options.host(),
                    state.root(), RootFs.DEFAULT_RELEASE, options.cmdline()));
            config.put("kvmosgi.console.unsealed", Boolean.toString(options.unsealed()));
            config.put("kvmosgi.console.history", state.dir().resolve("history").toString());
            // logback.xml names the log file through this system property (framework properties
            // are not visible to logback's substitutions)
            System.setProperty(STATE_PROPERTY, state.dir().toString());
            return boot(config, bundles, RootTemplate.of(stateDirectory().resolve(ROOTS), features,
                    RootFs.DEFAULT_RELEASE), state.root(), err);
        }
    }

    private static int boot(Map<String, String> config, CompletableFuture<List<Path>> files, Path template, Path root,
            PrintStream err) throws Exception {
        BootTrace trace = BootTrace.fromEnvironment();
        try {
            return boot(config, files, template, root, err, trace);
        } finally {
            if (trace != null) {
                trace.print(err);
            }
        }
    }

    private static int boot(Map<String, String> config, CompletableFuture<List<Path>> files, Path template, Path root,
            PrintStream err, BootTrace trace) throws Exception {
        // nobody but Gogo jline's background session asks JLine for a terminal without one;
        // a dumb terminal is right there and needs no warning on stderr
        if (System.getProperty("org.jline.terminal.dumb") == null) {
            System.setProperty("org.jline.terminal.dumb", "true");
        }
        System.clearProperty(EXIT_STATUS_PROPERTY);

        Framework framework = frameworkFactory().newFramework(config);
        framework.init();
        mark(trace, "framework init");
        List<Path> bundles;
        try {
            bundles = files.join();
            mark(trace, "root file system laid out (beside the init)");
        } catch (CompletionException e) {
            err.println("kvmsh: " + (e.getCause() instanceof UncheckedIOException ? e.getCause().getCause().getMessage() : String.valueOf(e.getCause())));
            framework.stop();
            framework.waitForStop(0);
            return 1;
        }
        BundleContext context = framework.getBundleContext();
        if (trace != null) {
            context.addBundleListener(trace);
        }
        ClassDataTraining training = ClassDataTraining.fromProperty();
        if (training != null) {
            context.addBundleListener(training);
        }
        Bundle last = null;
        for (Path file : bundles) {
            Bundle bundle;
            try {
                // reference: the framework reads the jar in place instead of copying it into its storage
                bundle = context.installBundle("reference:" + file.toUri());
            } catch (BundleException e) {
                err.println("kvmsh: cannot install " + file + ": " + e.getMessage());
                framework.stop();
                framework.waitForStop(0);
                return 1;
            }
            if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                // the framework is at start level 0 here: this only marks the bundle for
                // start, and framework.start() starts all of them in install order
                bundle.start();
                last = bundle;
            }
        }
        // the last boot bundle has started: the boot steps ran and the console has not yet
        // run a command (it starts on the framework's STARTED event, which comes after)
        AtomicReference<RootTemplate.Indexes> indexes = new AtomicReference<>();
        Bundle lastBoot = last;
        context.addBundleListener((SynchronousBundleListener) event -> {
            if (event.getType() == BundleEvent.STARTED && event.getBundle().equals(lastBoot)) {
                try {
                    indexes.set(RootTemplate.Indexes.afterBoot(template, root, config.get(PlatformProperties.RELEASE)));
                } catch (IOException e) {
                    // only a saving for the next boot: it runs depmod -A itself
                }
            }
        });
        // one resolver run for every boot bundle, instead of one per bundle as each starts
        context.getBundle(0).adapt(FrameworkWiring.class).resolveBundles(null);
        mark(trace, "bundles installed and resolved");
        framework.start();
        mark(trace, "framework started (bundles started, console running)");
        framework.waitForStop(0);
        mark(trace, "commands run and framework stopped");
        if (training != null) {
            training.linkLoadedClasses();
        }
        if (indexes.get() != null) {
            try {
                indexes.get().keepIfUnchanged();
            } catch (IOException e) {
                // the next boot runs depmod -A itself
            }
        }

        String status = System.getProperty(EXIT_STATUS_PROPERTY);
        if (status == null) {
            // stopped from inside (e.g. `stop 0`) or by a signal, with no console verdict
            return 0;
        }
        try {
            return Integer.parseInt(status.trim());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static void mark(BootTrace trace, String phase) {
        if (trace != null) {
            trace.phase(phase);
        }
    }

    /**
     * The module set when no --feature is given: the host's architecture picks kvm-x86 or
     * kvm-ppc once the distribution has it; until then the fixtures.
     */
    static String defaultModuleFeature(String host, Path home) {
        String arch = architecture(host);
        String feature = "ppc64le".equals(arch) ? "kvm-ppc" : "kvm-x86";
        if (Files.isRegularFile(home.resolve("features").resolve(feature + ".json"))) {
            return feature;
        }
        return "fixtures";
    }

    /**
     * The architecture of a host profile, as far as the launcher must know it before the
     * kernel boots: the POWER profiles (power8, power9, power9-guest, ...) are ppc64le,
     * every other profile is x86_64. The kernel owns the profiles; an unknown name boots
     * and the kernel refuses it.
     */
    static String architecture(String host) {
        return host.startsWith("power") ? "ppc64le" : "x86_64";
    }

    static boolean stdinIsTerminal() {
        Path fd0 = Paths.get("/proc/self/fd/0");
        try {
            String target = Files.readSymbolicLink(fd0).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException e) {
            // no /proc (not Linux): a console means both ends are a terminal
            return System.console() != null;
        }
    }

    static Path distribution() throws IOException {
        String home = System.getProperty(HOME_PROPERTY);
        if (home != null) {
            return Paths.get(home).toAbsolutePath();
        }
        try {
            // lib/launcher.jar -> the distribution
            Path jar = Paths.get(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dist = jar.getParent().getParent();
            if (Files.isDirectory(dist.resolve("features"))) {
                return dist;
            }
            throw new IOException("cannot find the distribution from " + jar + "; set -D" + HOME_PROPERTY + "=DIR");
        } catch (URISyntaxException | NullPointerException e) {
            throw new IOException("cannot find the distribution; set -D" + HOME_PROPERTY + "=DIR");
        }
    }

    static Path stateDirectory() {
        String state = System.getProperty(STATE_PROPERTY);
        return (state != null ? Paths.get(state) : Paths.get(".kvmsh")).toAbsolutePath();
    }

    private static FrameworkFactory frameworkFactory() {
        Iterator<FrameworkFactory> factories = ServiceLoader.load(FrameworkFactory.class, Main.class.getClassLoader()).iterator();
        if (!factories.hasNext()) {
            throw new IllegalStateException("no OSGi framework on the class path");
        }
        return factories.next();
    }

    /**
     * The state directory of one boot: framework storage, the root file system, the log and
     * the shell history. A second kvmsh running beside the first gets a private temporary
     * directory (removed when it exits) instead of wiping the first one's root.
     */
    static final class State implements AutoCloseable {
        private final Path dir;
        private final FileChannel lockChannel;
        private final FileLock lock;
        private final boolean temporary;

        private State(Path dir, FileChannel lockChannel, FileLock lock, boolean temporary) {
            this.dir = dir;
            this.lockChannel = lockChannel;
            this.lock = lock;
            this.temporary = temporary;
        }

        static State open(Path dir) throws IOException {
            Files.createDirectories(dir);
            FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                Path tmp = Files.createTempDirectory(dir, "run-");
                return new State(tmp, null, null, true);
            }
            State state = new State(dir, channel, lock, false);
            RootFs.deleteContents(dir.resolve("felix-cache"));
            return state;
        }

        Path dir() {
            return dir;
        }

        Path root() {
            return dir.resolve("root");
        }

        @Override
        public void close() throws IOException {
            if (temporary) {
                RootFs.deleteContents(dir);
                Files.deleteIfExists(dir);
            } else {
                lock.release();
                lockChannel.close();
            }
        }
    }
}
