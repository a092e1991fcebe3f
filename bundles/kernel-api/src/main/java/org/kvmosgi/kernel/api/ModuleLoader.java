package org.kvmosgi.kernel.api;

import org.osgi.annotation.versioning.ProviderType;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/**
 * The kernel's module loader (load_module/do_init_module and the unload path), a
 * service of the kernel bundle. Module bundles reach it only through
 * {@link KernelModule}'s activator methods.
 */
@ProviderType
public interface ModuleLoader {

    /**
     * Loads the module whose bundle is starting. Throws when any step fails, after
     * undoing every step before it; the exception's cause is a {@link ModuleLoadError}.
     */
    void load(BundleContext module, KernelModule code) throws BundleException;

    /** Unloads the module whose bundle is stopping. */
    void unload(BundleContext module, KernelModule code) throws BundleException;
}
