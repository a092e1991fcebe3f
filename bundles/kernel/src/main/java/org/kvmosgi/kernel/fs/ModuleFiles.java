package org.kvmosgi.kernel.fs;

import java.nio.file.Path;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.module.FileVersion;
import org.kvmosgi.kernel.module.KModule;
import org.kvmosgi.kernel.module.ModuleState;

/**
 * What finit_module does with a module file once it is found (init_module_from_file): make
 * its code and hand it to the loader. {@link BundleModuleFiles} installs the file as a
 * bundle and starts it, whose activator runs the loader; {@link JarModuleFiles} defines the
 * module's classes on a plain class loader and calls the loader itself. The loader's steps
 * are the same either way.
 */
public interface ModuleFiles {
    /**
     * Loads the module in {@code file}, which finit_module found at {@code version} (its one
     * stat of the file per load): 0 or -errno, with the kernel's messages.
     */
    int load(Path file, FileVersion version, String params, int flags);

    /** The module of {@code file}, whatever its state (loading, live, going), or null. */
    KModule module(Path file);

    /** A load of a file whose module is there: -EEXIST once it is live, -EBUSY while it loads or goes. */
    static int alreadyThere(KModule existing) {
        return existing.state() == ModuleState.LIVE ? Errno.EEXIST.neg() : Errno.EBUSY.neg();
    }
}
