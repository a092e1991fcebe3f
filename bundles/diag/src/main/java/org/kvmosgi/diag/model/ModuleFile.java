package org.kvmosgi.diag.model;

import java.util.List;

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
        return switch (license) {
            case "GPL", "GPL v2", "GPL and additional rights", "Dual BSD/GPL", "Dual MIT/GPL", "Dual MPL/GPL" -> true;
            default -> false;
        };
    }
}
