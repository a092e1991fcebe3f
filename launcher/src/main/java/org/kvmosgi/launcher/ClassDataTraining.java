package org.kvmosgi.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.wiring.BundleWiring;

/**
 * The run that writes kvmsh's class data archive ({@code -XX:ArchiveClassesAtExit}, see the
 * {@code kvmsh} script) also links the bundle classes it loaded. JDK 17's dynamic archive
 * leaves out every class that was loaded but never linked ("Skipping ...: Not linked"):
 * classes a bundle loads without using them yet (log4j's plugins, interfaces named in
 * signatures, exception types), several hundred of a boot. Later boots would define each
 * of them from its jar again; linked here, they come from the archive like the others.
 *
 * <p>The JVM's {@code -Xlog:class+load} file of this run names the classes and the jar
 * each came from; a synchronous bundle listener remembers each resolved bundle's class
 * loader by its location. After the framework stopped, each class is looked up again in
 * its bundle's loader (it is loaded already: no new class is defined) and linked through
 * reflection, which verifies it without running its static initializer.
 */
final class ClassDataTraining implements SynchronousBundleListener {
    /** System property: the {@code -Xlog:class+load} file of the archive-writing run. */
    static final String CLASS_LOG_PROPERTY = "kvmosgi.cds.classlog";
    private static final String SOURCE = " source: ";

    private final Path classLog;
    /** The class loader of each resolved bundle, by the jar URI its classes report as their source. */
    private final Map<String, ClassLoader> loaders = new ConcurrentHashMap<>();

    private ClassDataTraining(Path classLog) {
        this.classLog = classLog;
    }

    /** The training when this run writes the archive, else null. */
    static ClassDataTraining fromProperty() {
        String log = System.getProperty(CLASS_LOG_PROPERTY);
        return log == null || log.isEmpty() ? null : new ClassDataTraining(Paths.get(log));
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (event.getType() != BundleEvent.RESOLVED) {
            return;
        }
        BundleWiring wiring = event.getBundle().adapt(BundleWiring.class);
        ClassLoader loader = wiring == null ? null : wiring.getClassLoader();
        String location = event.getBundle().getLocation();
        if (loader != null) {
            loaders.put(file(location.startsWith("reference:") ? location.substring("reference:".length()) : location),
                    loader);
        }
    }

    /** A file URI as a path ({@code file:///a} and the log's {@code file:/a} alike), any other location as it is. */
    private static String file(String uri) {
        try {
            return uri.startsWith("file:") ? Paths.get(URI.create(uri)).toString() : uri;
        } catch (IllegalArgumentException e) {
            return uri;
        }
    }

    /** Links the bundle classes the log names; returns how many. A class that fails to link is left out. */
    int linkLoadedClasses() throws IOException {
        int linked = 0;
        try (BufferedReader lines = Files.newBufferedReader(classLog, StandardCharsets.UTF_8)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                int source = line.indexOf(SOURCE);
                int name = line.lastIndexOf(' ', source - 1);
                if (source < 0 || name < 0) {
                    continue;
                }
                ClassLoader loader = loaders.get(file(line.substring(source + SOURCE.length()).trim()));
                if (loader != null && link(loader, line.substring(name + 1, source))) {
                    linked++;
                }
            }
        }
        return linked;
    }

    private static boolean link(ClassLoader loader, String className) {
        try {
            // getDeclaredMethods links the class (HotSpot verifies it first) and initializes nothing
            Class.forName(className, false, loader).getDeclaredMethods();
            return true;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            // a class whose optional dependencies are missing: it stays out of the archive, as before
            return false;
        }
    }
}
