package org.kvmosgi.kernel.module;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.kvmosgi.kernel.api.modinfo.ModuleInfo;
import org.kvmosgi.kernel.api.modinfo.ModuleInfo.Export;
import org.kvmosgi.kernel.api.modinfo.ParamType;
import org.kvmosgi.kernel.param.ParamSpec;
import org.kvmosgi.kernel.param.ParamValues;
import org.osgi.framework.Bundle;
import org.osgi.framework.wiring.BundleRevision;

/**
 * A module's .modinfo as the loader uses it: {@link ModuleInfo} read from the bundle's
 * declared capabilities (no code of the module runs), with the parameters checked and
 * typed for parse_args. What every load of the module derives from it the same way is
 * derived here, once per .modinfo: {@code exportNamespaces} (each export's namespace as
 * the symbol table records it, {@link Export#effectiveNamespace}, in the order of
 * {@code exports}), {@code exportSymbols} (the names {@code exports} declares, for the
 * load's check of the module's definitions against them) and {@code paramDefaults} (the
 * parameters' parsed defaults).
 */
public record ModInfo(String name, String license, String description, String author, String version,
        List<String> aliases, List<String> imports, List<String> importNamespaces, String softdep,
        List<String> steps, List<Export> exports, List<ParamSpec> params, String initcall,
        List<String> exportNamespaces, java.util.Set<String> exportSymbols, ParamValues.Defaults paramDefaults) {

    public static final String MODULE_NS = org.kvmosgi.kernel.api.modinfo.ModInfo.MODULE_NAMESPACE;

    /** Thrown when the manifest is not a well-formed module (-ENOEXEC). */
    public static final class FormatError extends Exception {
        private static final long serialVersionUID = 1L;

        public FormatError(String message) {
            super(message, null, false, false);
        }
    }

    /** Whether the bundle declares itself a kernel module at all. */
    public static boolean isModule(Bundle bundle) {
        BundleRevision rev = bundle.adapt(BundleRevision.class);
        return rev != null && !rev.getDeclaredCapabilities(MODULE_NS).isEmpty();
    }

    public static ModInfo read(Bundle bundle) throws FormatError {
        BundleRevision rev = bundle.adapt(BundleRevision.class);
        if (rev == null) {
            throw new FormatError("no revision");
        }
        ModuleInfo m;
        try {
            m = ModuleInfo.fromCapabilities(rev.getDeclaredCapabilities(null));
        } catch (ModuleInfo.NotAModule e) {
            throw new FormatError(e.getMessage());
        }
        return of(m);
    }

    /** The loader's view of a .modinfo, read by kernel-api's one reader from a bundle or a file. */
    public static ModInfo of(ModuleInfo m) throws FormatError {
        List<ParamSpec> params = new ArrayList<>();
        for (ModuleInfo.Param p : m.params()) {
            ParamType type;
            int perm;
            try {
                type = ParamType.valueOf(p.type().toUpperCase(Locale.ROOT));
                perm = p.perm().isEmpty() ? 0444 : Integer.parseInt(p.perm(), 8);
            } catch (IllegalArgumentException e) {
                throw new FormatError("bad parameter declaration " + p);
            }
            params.add(new ParamSpec(p.name(), type, p.defaultValue(), perm, p.description(), p.values()));
        }
        List<String> namespaces = new ArrayList<>();
        java.util.Set<String> symbols = new java.util.HashSet<>();
        for (Export e : m.exports()) {
            // a null namespace (none declared) stays null, as effectiveNamespace gives it
            namespaces.add(e.effectiveNamespace());
            symbols.add(e.symbol());
        }
        return new ModInfo(m.name(), m.license(), m.description(), m.author(), m.version(), m.aliases(),
                m.imports(), m.importNamespaces(), m.softdep(), m.steps(), m.exports(), List.copyOf(params),
                m.initcall(), java.util.Collections.unmodifiableList(namespaces),
                java.util.Collections.unmodifiableSet(symbols), new ParamValues.Defaults(params));
    }

    /** license_is_gpl_compatible() (include/linux/license.h). */
    public boolean gplCompatible() {
        return ModuleInfo.gplCompatible(license);
    }
}
