package org.kvmosgi.kernel.module;

import java.nio.file.Path;
import org.kvmosgi.kernel.symbol.SymbolTable;

/**
 * What the loader has of a module besides its code: the container a load reads (struct
 * load_info's file) and the module's presence in the rest of the system. The loader's steps
 * ({@link LoadModule}, {@link SymbolResolver}, {@link References}, {@link Unload}) are the
 * same code for every container; only these reach outside the kernel. Two kinds exist: a
 * module bundle on the framework ({@link BundleImage}, what {@code ./kvmsh} runs), and a
 * module file on a plain class loader (the framework-free kernel the explorer runs, see
 * the fs package's {@code JarModuleFiles}).
 *
 * <p>Images are compared with {@code equals}: one module file (one bundle) is one image.
 */
public interface ModuleImage {
    /** The container refused to stop (its message says why). */
    final class StopFailed extends Exception {
        private static final long serialVersionUID = 1L;

        public StopFailed(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    /** The name the file goes by in messages before its .modinfo is read (a bundle's symbolic name). */
    String name();

    /** The .modinfo, read without running code of the module. */
    ModInfo modinfo() throws ModInfo.FormatError;

    /** The file the signature is checked on; null when the module came from elsewhere (unsigned). */
    Path file();

    /** The module's size as lsmod shows it: its classes' bytes, rounded up to pages. */
    long coreSize();

    /**
     * One of the module's exported symbols into {@code table}, owned by {@code owner} (the
     * module's name, or vmlinux for a built-in module's); undone by the registration.
     */
    SymbolTable.Registration export(SymbolTable table, String owner, String symbol, boolean gplOnly,
            String namespace, Class<?> type, Object value);

    /**
     * Unloads the module through its container: a bundle is stopped (its activator calls
     * the loader's unload), a plain module's unload is called directly. What delete_module
     * does after its checks, and what a reset does to every module.
     */
    void stop() throws StopFailed;
}
