package org.kvmosgi.explorer;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Lets the explorer's {@code direct} package call the platform's own classes: each class
 * of that package is defined here, and the names it links against come from the bundle
 * that holds them, private packages included ({@link Bundle#loadClass} reaches them, and
 * their imports resolve through the bundle's wiring). So kmod's Modprobe and diag's
 * Checks run as they run behind their shell commands, on the platform's system calls,
 * with the very classes the framework loaded, and the explorer needs no export added
 * to any bundle. Everything else comes from the explorer's own class loader.
 */
final class BundleBridge extends ClassLoader {
    private static final String DIRECT = "org.kvmosgi.explorer.direct.";

    /** Package prefix to the symbolic name of the bundle whose class space has it (its own or by import). */
    private static final Map<String, String> OWNERS = Map.of(
            "org.kvmosgi.kmod.", "org.kvmosgi.kmod",
            "org.kvmosgi.kvmtool.", "kvmtool",
            "org.kvmosgi.diag.", "org.kvmosgi.diag",
            "org.kvmosgi.kernel.api.", "org.kvmosgi.diag",
            "org.kvmosgi.console.api.", "org.kvmosgi.diag");

    /** The VMM: only the KVM features have it (DirectPlatform runs vm commands only then). */
    private static final String OPTIONAL = "kvmtool";

    private final Map<String, Bundle> bundles = new java.util.HashMap<>();

    BundleBridge(BundleContext platform) {
        super("explorer-direct", BundleBridge.class.getClassLoader());
        for (Bundle b : platform.getBundles()) {
            if (OWNERS.containsValue(b.getSymbolicName())) {
                bundles.put(b.getSymbolicName(), b);
            }
        }
        for (String owner : OWNERS.values()) {
            if (!bundles.containsKey(owner) && !owner.equals(OPTIONAL)) {
                throw new IllegalStateException("the platform has no bundle " + owner + " (is it in the platform feature?)");
            }
        }
    }

    /** An instance of {@code className} (of the direct package), made with the constructor taking {@code args}' types. */
    <T> T create(String className, Class<T> as, Class<?>[] types, Object... args) {
        try {
            return as.cast(loadClass(DIRECT + className).getConstructor(types).newInstance(args));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make the direct " + className + ": " + e, e);
        }
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                c = name.startsWith(DIRECT) ? define(name) : fromBundle(name);
            }
            if (c == null) {
                return super.loadClass(name, resolve);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    private Class<?> fromBundle(String name) throws ClassNotFoundException {
        for (Map.Entry<String, String> e : OWNERS.entrySet()) {
            if (name.startsWith(e.getKey()) && bundles.containsKey(e.getValue())) {
                return bundles.get(e.getValue()).loadClass(name);
            }
        }
        return null;
    }

    private Class<?> define(String name) throws ClassNotFoundException {
        byte[] b = classFile(getParent(), name);
        return defineClass(name, b, 0, b.length);
    }

    /**
     * The class file of the explorer's class {@code name}, from the explorer's class loader
     * {@code from}: what a loader that defines the direct package itself (this one,
     * {@link ModelClasses}) defines.
     */
    static byte[] classFile(ClassLoader from, String name) throws ClassNotFoundException {
        String resource = name.replace('.', '/') + ".class";
        try (InputStream in = from.getResourceAsStream(resource)) {
            if (in == null) {
                throw new ClassNotFoundException(name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
    }
}
