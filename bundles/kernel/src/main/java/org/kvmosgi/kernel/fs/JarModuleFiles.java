package org.kvmosgi.kernel.fs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
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
    /** {@code id}: the order the file was first loaded in since boot, as a framework numbers the bundles it installs. */
    private record Kept(FileVersion version, JarImage image, long id) {}

    /** What module classes link against: kernel-api and kvm-api. */
    private final ClassLoader headers;
    private final Printk printk;
    private final Loader loader;
    private final Map<Path, Kept> images = new ConcurrentHashMap<>();
    private final AtomicLong installed = new AtomicLong();

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
        images.put(file, new Kept(now, image, k != null ? k.id() : installed.getAndIncrement()));
        return image;
    }

    // ------------------------------------- what a framework's start and stop of a module bundle do

    /**
     * The id of module {@code name}'s file as a framework would number its bundle (the order
     * the files were first loaded in), -1 when no file of that module was loaded since boot:
     * a framework installs a module file's bundle at its first load, so it has none either.
     */
    public long rawId(String name) {
        Kept k = kept(name);
        return k == null ? -1 : k.id();
    }

    /**
     * A framework's start of the module's bundle ({@code felix:start}): the activator's load,
     * without a request from finit_module (no parameters, no flags); nothing when the module
     * is there (its bundle is active). The result is the load's (a framework reports a failure
     * as a BundleException); -ENOENT when there is no such bundle.
     */
    public int rawStart(String name) {
        Kept k = kept(name);
        if (k == null) {
            return Errno.ENOENT.neg();
        }
        if (loader.byImage(k.image()) != null) {
            return 0;
        }
        KernelModule code;
        try {
            code = k.image().newCode();
        } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
            printk.err("%s: disagrees about version of kernel interfaces: %s", k.image().name(), e);
            return Errno.ENOEXEC.neg();
        }
        return loader.load(k.image(), code, new Loader.LoadRequest("", 0));
    }

    /**
     * A framework's stop of the module's bundle ({@code felix:stop}): the raw stop a module
     * bundle's stop runs (its holders unloaded first, forced where rmmod would refuse);
     * nothing when the module is not there (its bundle is not active).
     */
    public void rawStop(String name) {
        Kept k = kept(name);
        if (k != null) {
            k.image().stop();
        }
    }

    /** The kept file of module {@code name}: its image's name is the bundle's (kvm-hv), the module's with '-'. */
    private Kept kept(String name) {
        for (Kept k : images.values()) {
            if (k.image().name().replace('-', '_').equals(name)) {
                return k;
            }
        }
        return null;
    }
}
