package org.kvmosgi.kernel.fs;

import java.nio.file.Path;
import org.kvmosgi.kernel.module.KModule;

/**
 * What finit_module does with a module file once it is found (init_module_from_file): make
 * its code and hand it to the loader. {@link BundleModuleFiles} installs the file as a
 * bundle and starts it, whose activator runs the loader; {@link JarModuleFiles} defines the
 * module's classes on a plain class loader and calls the loader itself. The loader's steps
 * are the same either way.
 */
public interface ModuleFiles {
    /** Loads the module in {@code file}: 0 or -errno, with the kernel's messages. */
    int load(Path file, String params, int flags);

    /** The module of {@code file}, whatever its state (loading, live, going), or null. */
    KModule module(Path file);
}
