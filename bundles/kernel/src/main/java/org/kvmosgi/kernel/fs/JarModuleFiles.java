package org.kvmosgi.kernel.fs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.Printk;
import org.kvmosgi.kernel.module.FileVersion;
import org.kvmosgi.kernel.module.JarImage;
import org.kvmosgi.kernel.module.KModule;
import org.kvmosgi.kernel.module.Loader;

/**
 * Module files without a framework: each file read once per version (size, time, inode)
 * into a {@link JarImage} with a class loader of its own, kept across unload and load as
 * {@link BundleModuleFiles} keeps a bundle installed; a load makes the module's code and
 * calls the loader. What only a framework does (resolving the bundle's imports, so that a
 * module built for other kernel interfaces fails with "disagrees about version of kernel
 * interfaces") does not happen here.
 */
public final class JarModuleFiles implements ModuleFiles {
    private record Kept(FileVersion version, JarImage image) {}

    /** What module classes link against: kernel-api and kvm-api. */
    private final ClassLoader headers;
    private final Printk printk;
    private final Loader loader;
    private final Map<Path, Kept> images = new ConcurrentHashMap<>();

    public JarModuleFiles(ClassLoader headers, Printk printk, Loader loader) {
        this.headers = headers;
        this.printk = printk;
        this.loader = loader;
    }

    @Override
    public KModule module(Path file) {
        Kept k = images.get(file);
        return k == null ? null : loader.byImage(k.image());
    }

    @Override
    public int load(Path file, FileVersion version, String params, int flags) {
        JarImage image;
        try {
            image = image(file, version);
        } catch (IOException | SecurityException e) {
            printk.err("%s: invalid module format: %s", file.getFileName(), e.getMessage());
            return Errno.ENOEXEC.neg();
        }
        if (!image.isModule()) {
            images.remove(file);
            printk.err("%s: invalid module format: no .modinfo", image.name());
            return Errno.ENOEXEC.neg();
        }
        KModule existing = loader.byImage(image);
        if (existing != null) {
            return ModuleFiles.alreadyThere(existing);
        }
        KernelModule code;
        try {
            code = image.newCode();
        } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
            // where the framework fails the start before the activator runs
            printk.err("%s: disagrees about version of kernel interfaces: %s", image.name(), e);
            return Errno.ENOEXEC.neg();
        }
        return loader.load(image, code, new Loader.LoadRequest(params, flags, version));
    }

    /** The kept image of {@code file}, or a new one when there is none or the file changed since (now {@code now}). */
    private JarImage image(Path file, FileVersion now) throws IOException {
        Kept k = images.get(file);
        if (k != null && k.version().equals(now)) {
            return k.image();
        }
        if (k != null && loader.byImage(k.image()) == null) {
            k.image().close();
        }
        JarImage image = new JarImage(file, headers, loader);
        images.put(file, new Kept(now, image));
        return image;
    }
}
