package org.kvmosgi.kernel.fs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.ModuleLoadError;
import org.kvmosgi.kernel.api.Printk;
import org.kvmosgi.kernel.module.FileVersion;
import org.kvmosgi.kernel.module.KModule;
import org.kvmosgi.kernel.module.Loader;
import org.kvmosgi.kernel.module.ModInfo;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The module files finit_module has read, each kept as an installed bundle after its
 * module is unloaded (stopped, not uninstalled), and installed again only when the file
 * changed. Installing and freeing a bundle writes and deletes a directory tree in the
 * framework's storage and defines every class again; a stopped bundle keeps its class
 * loader, so a second load of the same file costs a start. Modules keep no state in
 * static fields (a test over every module bundle checks it), so a load of a kept bundle
 * is indistinguishable from a load of a fresh one. Loading goes through the framework
 * (install the file, start the bundle), so that the loader runs inside the bundle's start
 * whichever way it was asked for.
 */
public final class BundleModuleFiles implements ModuleFiles {
    /** The kernel bundle's context, which installs the module files. */
    private final BundleContext context;
    private final Printk printk;
    private final Loader loader;
    /** The bundles this kernel installed, by location, with the version of the file each holds. */
    private final Map<String, FileVersion> installed = new ConcurrentHashMap<>();

    public BundleModuleFiles(BundleContext context, Printk printk, Loader loader) {
        this.context = context;
        this.printk = printk;
        this.loader = loader;
    }

    @Override
    public KModule module(Path file) {
        Bundle bundle = installed(file);
        return bundle == null ? null : loader.byBundle(bundle);
    }

    @Override
    public int load(Path file, FileVersion version, String params, int flags) {
        Bundle bundle;
        try {
            bundle = bundle(file, version);
        } catch (BundleException | SecurityException e) {
            printk.err("%s: invalid module format: %s", file.getFileName(), e.getMessage());
            return Errno.ENOEXEC.neg();
        }
        boolean isModule = ModInfo.isModule(bundle);
        int ret = startModule(bundle, isModule, new Loader.LoadRequest(params, flags, version));
        loaded(bundle, ret, isModule);
        return ret;
    }

    private int startModule(Bundle bundle, boolean isModule, Loader.LoadRequest request) {
        if (!isModule) {
            printk.err("%s: invalid module format: no .modinfo", bundle.getSymbolicName());
            return Errno.ENOEXEC.neg();
        }
        KModule existing = loader.byBundle(bundle);
        if (existing != null) {
            // the bundle is this module: it is loaded (or going), the start would do nothing
            return ModuleFiles.alreadyThere(existing);
        }
        loader.expect(bundle, request);
        try {
            bundle.start(Bundle.START_TRANSIENT);
            return 0;
        } catch (BundleException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof ModuleLoadError mle) {
                    return -mle.errno();
                }
            }
            // the framework could not resolve it: the model's vermagic mismatch
            String name = bundle.getSymbolicName();
            try {
                name = ModInfo.read(bundle).name();
            } catch (ModInfo.FormatError ignored) {
                // keep the symbolic name
            }
            printk.err("%s: disagrees about version of kernel interfaces: %s", name, e.getMessage());
            return Errno.ENOEXEC.neg();
        } finally {
            loader.forget(bundle);
        }
    }

    /** The bundle installed for {@code file}, or null; installs nothing. */
    Bundle installed(Path file) {
        return context.getBundle(file.toUri().toString());
    }

    /**
     * The bundle for {@code file}, which finit_module found at version {@code now}: the
     * one installed before (by the kernel, unchanged since, or by a user at the same
     * location), else a freshly installed one. Concurrent calls for one file do not happen:
     * finit_module coalesces them.
     *
     * @throws BundleException when the framework refuses the file
     */
    Bundle bundle(Path file, FileVersion now) throws BundleException {
        String location = file.toUri().toString();
        Bundle b = context.getBundle(location);
        FileVersion was = installed.get(location);
        if (b != null && was != null && !was.equals(now) && (b.getState() & (Bundle.INSTALLED | Bundle.RESOLVED)) != 0) {
            // the file changed since the kernel read it: what is installed is another module
            free(b);
            b = null;
        }
        if (b == null) {
            try {
                b = context.installBundle(location);
            } catch (BundleException e) {
                // another file of the same module (kvm.ko of another layout) kept from an
                // earlier load holds the bundle's name: free it, as Linux keeps nothing
                if (e.getType() != BundleException.DUPLICATE_BUNDLE_ERROR || !freeNamesakes(file)) {
                    throw e;
                }
                b = context.installBundle(location);
            }
            installed.put(location, now);
        }
        return b;
    }

    /**
     * Frees the kept, unloaded bundles that have the symbolic name and version of the
     * bundle in {@code file}; false when there is none (the namesake is loaded, or not ours).
     */
    private boolean freeNamesakes(Path file) {
        String name;
        String version;
        try (JarFile jar = new JarFile(file.toFile())) {
            Attributes a = jar.getManifest() == null ? null : jar.getManifest().getMainAttributes();
            if (a == null || a.getValue(Constants.BUNDLE_SYMBOLICNAME) == null) {
                return false;
            }
            name = a.getValue(Constants.BUNDLE_SYMBOLICNAME).split(";")[0].trim();
            version = Version.parseVersion(a.getValue(Constants.BUNDLE_VERSION)).toString();
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
        boolean freed = false;
        for (Bundle b : context.getBundles()) {
            if (name.equals(b.getSymbolicName()) && version.equals(b.getVersion().toString())
                    && installed.containsKey(b.getLocation())
                    && (b.getState() & (Bundle.INSTALLED | Bundle.RESOLVED)) != 0) {
                free(b);
                freed = true;
            }
        }
        return freed;
    }

    /**
     * After a load of {@code bundle} ended in {@code ret}: a module file stays installed
     * for the next load; one that is no module, or that the framework could not resolve,
     * is freed again (as it was before it was read).
     */
    void loaded(Bundle bundle, int ret, boolean isModule) {
        if (ret < 0 && installed.containsKey(bundle.getLocation())
                && (!isModule || bundle.getState() == Bundle.INSTALLED)) {
            free(bundle);
        }
    }

    /** Uninstalls a bundle this kernel installed and drops its revision. */
    private void free(Bundle bundle) {
        installed.remove(bundle.getLocation());
        try {
            bundle.uninstall();
            context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(List.of(bundle));
        } catch (BundleException | IllegalStateException e) {
            printk.err("%s: could not free module: %s", bundle.getSymbolicName(), e.getMessage());
        }
    }

}
