package org.kvmosgi.diag.model;

import java.util.List;
import org.kvmosgi.kernel.api.modinfo.ModuleInfo;

/**
 * A module file in /lib/modules/RELEASE as user space reads it, without loading it: its
 * name, where it lies, the symbols it links against and exports, and the named steps of
 * its init and exit (its fault injection points).
 */
public record ModuleFile(String name, String path, List<String> imports, List<String> exports, List<String> steps,
        String softdep, String license, List<String> gplExports) {
    public ModuleFile {
        imports = List.copyOf(imports);
        exports = List.copyOf(exports);
        steps = List.copyOf(steps);
        gplExports = List.copyOf(gplExports);
    }

    /** A module file whose license and GPL-only exports do not matter to the caller. */
    public ModuleFile(String name, String path, List<String> imports, List<String> exports, List<String> steps,
            String softdep) {
        this(name, path, imports, exports, steps, softdep, "GPL", List.of());
    }

    /** license_is_gpl_compatible() (include/linux/license.h): may it link EXPORT_SYMBOL_GPL symbols. */
    public boolean gplCompatible() {
        return ModuleInfo.gplCompatible(license);
    }

    /** The module file at {@code path} as its .modinfo describes it. */
    public static ModuleFile of(ModuleInfo info, String path) {
        return new ModuleFile(info.name(), path, info.imports(),
                info.exports().stream().map(ModuleInfo.Export::symbol).toList(), info.steps(), info.softdep(),
                info.license(), info.exports().stream().filter(ModuleInfo.Export::gpl).map(ModuleInfo.Export::symbol)
                        .toList());
    }

    /** The module file whose content is {@code file}, or null when it is no module. */
    public static ModuleFile read(byte[] file, String path) {
        try {
            return of(ModuleInfo.read(file), path);
        } catch (ModuleInfo.NotAModule e) {
            return null;
        }
    }

    /** The module a Provide-Capability header declares, or null when it declares none. */
    public static ModuleFile fromHeader(String header, String path) {
        try {
            return of(ModuleInfo.fromHeader(header), path);
        } catch (ModuleInfo.NotAModule e) {
            return null;
        }
    }
}
