package org.kvmosgi.kernel.module;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.modinfo.ModuleInfo;
import org.kvmosgi.kernel.symbol.SymbolTable;

/**
 * A module file on a plain class loader, as the framework-free kernel runs it: the same
 * .modinfo (kernel-api's reader, from the manifest), the same code (the class bnd made the
 * activator, made anew for each load as the framework makes an activator for each start),
 * its exports straight into the symbol table, its unload a direct call of the loader. One
 * image, and one class loader, per version of a file: module classes keep no mutable state
 * in static fields, so a load of a kept image is indistinguishable from a load of a fresh one.
 */
public final class JarImage implements ModuleImage {
    private final Path file;
    private final String name;
    private final ModuleInfo info;
    private final String notAModule;
    private final String activator;
    /** The module class's constructor, looked up at the first load. */
    private volatile java.lang.reflect.Constructor<? extends KernelModule> constructor;
    /** The .modinfo as the loader uses it, made at the first load (a value: records and immutable lists). */
    private volatile ModInfo modinfo;
    private final long coreSize;
    private final ModuleClassLoader classes;
    private final Loader loader;

    /**
     * Reads {@code file}'s manifest and sizes its classes; its classes are defined later, at
     * the first load, by a class loader whose parent is {@code headers} (kernel-api and
     * kvm-api: modules link against types, not against each other's code).
     *
     * @throws IOException when the file is no jar
     */
    public JarImage(Path file, ClassLoader headers, Loader loader) throws IOException {
        this.file = file;
        this.loader = loader;
        long bytes = 0;
        Manifest mf;
        Map<String, byte[]> content = new HashMap<>();
        try (JarFile jar = new JarFile(file.toFile(), false)) {
            mf = jar.getManifest();
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements();) {
                JarEntry entry = e.nextElement();
                if (entry.getName().endsWith(".class")) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        byte[] b = in.readAllBytes();
                        bytes += b.length;
                        content.put(entry.getName(), b);
                    }
                }
            }
        }
        Attributes a = mf == null ? new Attributes() : mf.getMainAttributes();
        String bsn = a.getValue("Bundle-SymbolicName");
        this.name = bsn == null ? file.getFileName().toString() : bsn.split(";")[0].trim();
        this.activator = a.getValue("Bundle-Activator");
        ModuleInfo read = null;
        String problem = null;
        try {
            read = ModuleInfo.fromHeader(a.getValue("Provide-Capability"));
        } catch (ModuleInfo.NotAModule e) {
            problem = e.getMessage();
        }
        this.info = read;
        this.notAModule = problem;
        this.coreSize = BundleImage.pages(bytes);
        this.classes = new ModuleClassLoader(file, headers, Map.copyOf(content));
    }

    /** Whether the file declares a kernel module at all. */
    public boolean isModule() {
        return info != null && info.name() != null && !info.name().isEmpty();
    }

    /** The module's code for one load: a new instance of its activator class. */
    public KernelModule newCode() throws ReflectiveOperationException {
        if (activator == null) {
            throw new ClassNotFoundException("no Bundle-Activator");
        }
        java.lang.reflect.Constructor<? extends KernelModule> c = constructor;
        if (c == null) {
            c = classes.loadClass(activator.trim()).asSubclass(KernelModule.class).getConstructor();
            constructor = c;
        }
        return c.newInstance();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ModInfo modinfo() throws ModInfo.FormatError {
        if (info == null) {
            throw new ModInfo.FormatError(notAModule);
        }
        ModInfo m = modinfo;
        if (m == null) {
            m = ModInfo.of(info);
            modinfo = m;
        }
        return m;
    }

    @Override
    public Path file() {
        return file;
    }

    @Override
    public long coreSize() {
        return coreSize;
    }

    @Override
    public SymbolTable.Registration export(SymbolTable table, String owner, String symbol, boolean gplOnly,
            String namespace, Class<?> type, Object value) {
        return table.add(owner, symbol, gplOnly, namespace, value);
    }

    @Override
    public void stop() {
        loader.unload(this);
    }

    /** Frees the class loader: the file changed, a new image replaces this one. */
    public void close() {
        try {
            classes.close();
        } catch (IOException e) {
            // nothing held open beyond the jar
        }
    }

    /**
     * The module's classes, defined from the jar (its signers recorded, as a bundle's are);
     * a class file read as a resource (a static_call template, at every load) comes from
     * memory instead of the jar, which a bundle's resource lookup would open each time.
     */
    private static final class ModuleClassLoader extends URLClassLoader {
        private final Map<String, byte[]> classFiles;

        ModuleClassLoader(Path file, ClassLoader parent, Map<String, byte[]> classFiles) throws IOException {
            super("module " + file.getFileName(), new URL[] {file.toUri().toURL()}, parent);
            this.classFiles = classFiles;
        }

        @Override
        public InputStream getResourceAsStream(String name) {
            byte[] b = classFiles.get(name);
            return b != null ? new ByteArrayInputStream(b) : super.getResourceAsStream(name);
        }
    }

    @Override
    public String toString() {
        return file.toString();
    }
}
