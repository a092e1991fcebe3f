package org.kvmosgi.kmod.lib;

import java.util.List;

/**
 * A module file's .modinfo as user space reads it: from the bundle's manifest
 * ({@code kernel.module}, {@code kernel.symbol}, {@code kernel.param} capabilities),
 * never by running the module.
 */
public record ModuleInfo(String name, String license, String description, String author, String version,
        String vermagic, List<String> aliases, List<String> imports, List<String> importNamespaces,
        String softdep, List<Export> exports, List<Param> params, String weakdep) {

    /** A module without MODULE_WEAKDEP. */
    public ModuleInfo(String name, String license, String description, String author, String version,
            String vermagic, List<String> aliases, List<String> imports, List<String> importNamespaces,
            String softdep, List<Export> exports, List<Param> params) {
        this(name, license, description, author, version, vermagic, aliases, imports, importNamespaces, softdep,
                exports, params, "");
    }

    /** An EXPORT_SYMBOL* entry of the module's __ksymtab. */
    public record Export(String symbol, boolean gpl, List<String> forModules, String namespace) {}

    /** module_param + MODULE_PARM_DESC. */
    public record Param(String name, String type, String defaultValue, String perm, String description) {}
}
