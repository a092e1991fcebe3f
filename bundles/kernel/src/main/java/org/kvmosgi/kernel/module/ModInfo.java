package org.kvmosgi.kernel.module;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.kvmosgi.kernel.api.modinfo.ParamType;
import org.kvmosgi.kernel.param.ParamSpec;
import org.osgi.framework.Bundle;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;

/**
 * A module's .modinfo as the loader reads it from the bundle's manifest, without
 * running any of the module's code: the {@code kernel.module}, {@code kernel.symbol}
 * and {@code kernel.param} capabilities bnd wrote from the annotations.
 */
public record ModInfo(String name, String license, String description, String author, String version,
        List<String> aliases, List<String> imports, List<String> importNamespaces, String softdep,
        List<String> steps, List<ExportDecl> exports, List<ParamSpec> params, String initcall) {

    public static final String MODULE_NS = org.kvmosgi.kernel.api.modinfo.ModInfo.MODULE_NAMESPACE;
    public static final String SYMBOL_NS = org.kvmosgi.kernel.api.modinfo.ModInfo.SYMBOL_NAMESPACE;
    public static final String PARAM_NS = org.kvmosgi.kernel.api.modinfo.ModInfo.PARAM_NAMESPACE;

    /** An EXPORT_SYMBOL* declaration. */
    public record ExportDecl(String name, boolean gpl, List<String> forModules, String namespace) {
        /**
         * The symbol's namespace as the kernel records it: EXPORT_SYMBOL_FOR_MODULES is
         * a GPL export in the namespace {@code module:a,b}.
         */
        public String effectiveNamespace() {
            if (!forModules.isEmpty()) {
                return "module:" + String.join(",", forModules);
            }
            return namespace;
        }

        public boolean gplOnly() {
            return gpl || !forModules.isEmpty();
        }
    }

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
        List<BundleCapability> mods = rev.getDeclaredCapabilities(MODULE_NS);
        if (mods.size() != 1) {
            throw new FormatError(mods.isEmpty() ? "no .modinfo" : "more than one .modinfo");
        }
        Map<String, Object> m = mods.get(0).getAttributes();
        String name = str(m, MODULE_NS, null);
        if (name == null || name.isEmpty()) {
            throw new FormatError("no module name");
        }
        name = name.replace('-', '_');
        List<ExportDecl> exports = new ArrayList<>();
        for (BundleCapability c : rev.getDeclaredCapabilities(SYMBOL_NS)) {
            Map<String, Object> a = c.getAttributes();
            exports.add(new ExportDecl(str(a, SYMBOL_NS, ""), Boolean.parseBoolean(str(a, "gpl", "false")),
                    list(a, "for.modules"), str(a, "ns", "")));
        }
        List<ParamSpec> params = new ArrayList<>();
        for (BundleCapability c : rev.getDeclaredCapabilities(PARAM_NS)) {
            Map<String, Object> a = c.getAttributes();
            ParamType type;
            int perm;
            try {
                type = ParamType.valueOf(str(a, "type", ""));
                perm = Integer.parseInt(str(a, "perm", "0444"), 8);
            } catch (IllegalArgumentException e) {
                throw new FormatError("bad parameter declaration " + a);
            }
            params.add(new ParamSpec(str(a, PARAM_NS, ""), type, str(a, "default", ""), perm,
                    str(a, "description", ""), list(a, "values")));
        }
        return new ModInfo(name, str(m, "license", ""), str(m, "description", ""), str(m, "author", ""),
                str(m, "modversion", ""), list(m, "alias"), list(m, "imports"), list(m, "import.ns"),
                str(m, "softdep", ""), list(m, "steps"), List.copyOf(exports), List.copyOf(params),
                initcall(m, name));
    }

    /** module_init()'s function: declared, else the common {@code NAME_init}. */
    private static String initcall(Map<String, Object> a, String name) {
        String fn = str(a, "initcall", "");
        return fn.isEmpty() ? name + "_init" : fn;
    }

    private static String str(Map<String, Object> a, String key, String dflt) {
        Object v = a.get(key);
        return v == null ? dflt : v.toString();
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Map<String, Object> a, String key) {
        Object v = a.get(key);
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> l) {
            return List.copyOf((List<String>) l);
        }
        return List.of(v.toString());
    }

    /** license_is_gpl_compatible() (include/linux/license.h). */
    public boolean gplCompatible() {
        return switch (license) {
            case "GPL", "GPL v2", "GPL and additional rights", "Dual BSD/GPL", "Dual MIT/GPL",
                    "Dual MPL/GPL" -> true;
            default -> false;
        };
    }
}
