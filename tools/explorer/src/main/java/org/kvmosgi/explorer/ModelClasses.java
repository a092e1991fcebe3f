package org.kvmosgi.explorer;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One copy of the platform's classes for a model kernel, without a framework: the
 * distribution's platform bundles (the kernel, kernel-api, kmod, diag...) as plain jars on
 * one class loader, which also defines the explorer's {@code direct} package so that
 * {@code ModelKernel} and {@code DirectPlatform} link against these classes. The kernel's
 * and the tools' classes are looked up here first; everything else (the JDK, the OSGi API
 * the module classes name, the explorer's own interfaces) comes from the explorer's class
 * loader. Each model has its own copy, as each platform has its own bundles.
 */
final class ModelClasses extends URLClassLoader {
    private static final String DIRECT = "org.kvmosgi.explorer.direct.";

    ModelClasses(List<Path> jars) {
        super("explorer-model", urls(jars), ModelClasses.class.getClassLoader());
    }

    private static URL[] urls(List<Path> jars) {
        List<URL> out = new ArrayList<>();
        for (Path p : jars) {
            try {
                out.add(p.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException(p.toString(), e);
            }
        }
        return out.toArray(new URL[0]);
    }

    /** Boots a model kernel of {@code root} and returns the platform that drives it. */
    Platform boot(Path root, String host, String release) {
        try {
            return (Platform) loadClass(DIRECT + "ModelKernel").getMethod("boot", Path.class, String.class, String.class)
                    .invoke(null, root, host, release);
        } catch (java.lang.reflect.InvocationTargetException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("cannot boot the model kernel: " + c, c);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot boot the model kernel: " + e, e);
        }
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null && name.startsWith(DIRECT)) {
                c = define(name);
            } else if (c == null && name.startsWith("org.kvmosgi.") && !name.startsWith("org.kvmosgi.explorer.")
                    && !name.startsWith("org.kvmosgi.launcher.")) {
                try {
                    c = findClass(name);
                } catch (ClassNotFoundException notHere) {
                    c = null;
                }
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

    private Class<?> define(String name) throws ClassNotFoundException {
        byte[] b = BundleBridge.classFile(getParent(), name);
        return defineClass(name, b, 0, b.length);
    }
}
