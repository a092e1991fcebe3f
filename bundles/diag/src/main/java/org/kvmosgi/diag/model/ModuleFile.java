package org.kvmosgi.diag.model;

import java.util.List;

/**
 * A module file in /lib/modules/RELEASE as user space reads it, without loading it: its
 * name, where it lies, the symbols it links against and exports, and the named steps of
 * its init and exit (its fault injection points).
 */
public record ModuleFile(String name, String path, List<String> imports, List<String> exports, List<String> steps,
        String softdep) {
    public ModuleFile {
        imports = List.copyOf(imports);
        exports = List.copyOf(exports);
        steps = List.copyOf(steps);
    }
}
