package org.kvmosgi.kernel.api.modinfo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import org.apache.felix.utils.manifest.Attribute;
import org.apache.felix.utils.manifest.Clause;
import org.apache.felix.utils.manifest.Parser;
import org.osgi.resource.Capability;

/**
 * A module file's .modinfo, read without running any of the module's code: the
 * {@code kernel.module}, {@code kernel.symbol} and {@code kernel.param} capabilities bnd
 * wrote into the manifest from the module's annotations. The one reader of them: the
 * kernel reads a bundle's declared capabilities ({@link #fromCapabilities}), user space
 * (kmod, diag) and the build read the file ({@link #read(byte[])}, {@link #read(Path)}).
 *
 * <p>Names are as kbuild makes them ('-' becomes '_'); a parameter's type is lower case,
 * as modinfo prints it; a missing string is empty.
 */
public record ModuleInfo(String name, String license, String description, String author, String version,
        String vermagic, List<String> aliases, List<String> imports, List<String> importNamespaces,
        String softdep, List<Export> exports, List<Param> params, String weakdep, List<String> steps,
        String initcall) {

    /** A module without MODULE_WEAKDEP, fault injection steps or a named init function. */
    public ModuleInfo(String name, String license, String description, String author, String version,
            String vermagic, List<String> aliases, List<String> imports, List<String> importNamespaces,
            String softdep, List<Export> exports, List<Param> params) {
        this(name, license, description, author, version, vermagic, aliases, imports, importNamespaces, softdep,
                exports, params, "");
    }

    /** A module without fault injection steps or a named init function. */
    public ModuleInfo(String name, String license, String description, String author, String version,
            String vermagic, List<String> aliases, List<String> imports, List<String> importNamespaces,
            String softdep, List<Export> exports, List<Param> params, String weakdep) {
        this(name, license, description, author, version, vermagic, aliases, imports, importNamespaces, softdep,
                exports, params, weakdep, List.of(), "");
    }

    /** An EXPORT_SYMBOL* entry of the module's __ksymtab. */
    public record Export(String symbol, boolean gpl, List<String> forModules, String namespace) {
        /**
         * The symbol's namespace as the kernel records it: EXPORT_SYMBOL_FOR_MODULES is a
         * GPL export in the namespace {@code module:a,b}.
         */
        public String effectiveNamespace() {
            return forModules.isEmpty() ? namespace : "module:" + String.join(",", forModules);
        }

        /** EXPORT_SYMBOL_GPL, or EXPORT_SYMBOL_FOR_MODULES (GPL-only too). */
        public boolean gplOnly() {
            return gpl || !forModules.isEmpty();
        }
    }

    /** module_param + MODULE_PARM_DESC; {@code values} are an enumerated parameter's choices. */
    public record Param(String name, String type, String defaultValue, String perm, String description,
            List<String> values) {
        public Param(String name, String type, String defaultValue, String perm, String description) {
            this(name, type, defaultValue, perm, description, List.of());
        }
    }

    /** The file is not a module: no manifest, no {@code kernel.module} capability, or a malformed header (ENOEXEC). */
    public static final class NotAModule extends Exception {
        private static final long serialVersionUID = 1L;

        public NotAModule(String message) {
            super(message, null, false, false);
        }
    }

    /** license_is_gpl_compatible() (include/linux/license.h): may the module link EXPORT_SYMBOL_GPL symbols. */
    public boolean gplCompatible() {
        return gplCompatible(license);
    }

    /** license_is_gpl_compatible() of a MODULE_LICENSE string. */
    public static boolean gplCompatible(String license) {
        return switch (license) {
            case "GPL", "GPL v2", "GPL and additional rights", "Dual BSD/GPL", "Dual MIT/GPL", "Dual MPL/GPL" -> true;
            default -> false;
        };
    }

    /**
     * The strings the module's own MODULE_*() macros put in its .modinfo section, in
     * section order ({@code version}, {@code license}, {@code description}, {@code author},
     * each {@code alias}, {@code softdep}, {@code weakdep}, each {@code import_ns}); a missing
     * string is left out. modpost adds {@code depends}, {@code name} and {@code vermagic} to
     * a loadable module after these; {@link #paramStrings()} come last.
     */
    public List<Map.Entry<String, String>> strings() {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        addString(out, "version", version);
        addString(out, "license", license);
        addString(out, "description", description);
        addString(out, "author", author);
        aliases.forEach(a -> out.add(Map.entry("alias", a)));
        addString(out, "softdep", softdep);
        addString(out, "weakdep", weakdep);
        importNamespaces.forEach(ns -> out.add(Map.entry("import_ns", ns)));
        return out;
    }

    /** The .modinfo strings of the parameters: {@code parm NAME:DESC} (when described), then {@code parmtype NAME:TYPE}. */
    public List<Map.Entry<String, String>> paramStrings() {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (Param p : params) {
            if (!p.description().isEmpty()) {
                out.add(Map.entry("parm", p.name() + ":" + p.description()));
            }
            out.add(Map.entry("parmtype", p.name() + ":" + p.type()));
        }
        return out;
    }

    private static void addString(List<Map.Entry<String, String>> out, String key, String value) {
        if (value != null && !value.isEmpty()) {
            out.add(Map.entry(key, value));
        }
    }

    /** Reads a module file from its path on the host (the build's tools). */
    public static ModuleInfo read(Path file) throws IOException, NotAModule {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        try (InputStream in = Files.newInputStream(file)) {
            return fromManifest(manifest(in));
        }
    }

    /** Reads a module file's content (as the system call readBytes gives it to user space). */
    public static ModuleInfo read(byte[] file) throws NotAModule {
        try {
            return fromManifest(manifest(new ByteArrayInputStream(file)));
        } catch (IOException e) {
            throw new NotAModule("not a module file: " + e.getMessage());
        }
    }

    private static Manifest manifest(InputStream file) throws IOException {
        try (JarInputStream in = new JarInputStream(file, false)) {
            Manifest mf = in.getManifest();
            // a manifest that is not among the first entries is still the jar's manifest
            for (JarEntry e = in.getNextJarEntry(); mf == null && e != null; e = in.getNextJarEntry()) {
                if (e.getName().equalsIgnoreCase(JarFile.MANIFEST_NAME)) {
                    mf = new Manifest(in);
                }
            }
            return mf;
        }
    }

    private static ModuleInfo fromManifest(Manifest mf) throws NotAModule {
        if (mf == null) {
            throw new NotAModule("no manifest");
        }
        return fromHeader(mf.getMainAttributes().getValue(new Attributes.Name("Provide-Capability")));
    }

    /** Reads a Provide-Capability header value. */
    public static ModuleInfo fromHeader(String header) throws NotAModule {
        if (header == null || header.isBlank()) {
            throw new NotAModule("no .modinfo");
        }
        Clause[] clauses;
        try {
            clauses = Parser.parseHeader(header);
        } catch (IllegalArgumentException e) {
            throw new NotAModule("malformed Provide-Capability: " + e.getMessage());
        }
        List<Map.Entry<String, Map<String, Object>>> caps = new ArrayList<>();
        for (Clause c : clauses) {
            caps.add(Map.entry(c.getName(), attributes(c)));
        }
        return from(caps);
    }

    /** Reads the capabilities a bundle declares (the framework parsed the header already). */
    public static ModuleInfo fromCapabilities(List<? extends Capability> capabilities) throws NotAModule {
        List<Map.Entry<String, Map<String, Object>>> caps = new ArrayList<>();
        for (Capability c : capabilities) {
            caps.add(Map.entry(c.getNamespace(), c.getAttributes()));
        }
        return from(caps);
    }

    private static ModuleInfo from(List<Map.Entry<String, Map<String, Object>>> caps) throws NotAModule {
        Map<String, Object> module = null;
        List<Export> exports = new ArrayList<>();
        List<Param> params = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> c : caps) {
            Map<String, Object> a = c.getValue();
            switch (c.getKey()) {
                case ModInfo.MODULE_NAMESPACE -> {
                    if (module != null) {
                        throw new NotAModule("more than one .modinfo");
                    }
                    module = a;
                }
                case ModInfo.SYMBOL_NAMESPACE -> exports.add(new Export(str(a, ModInfo.SYMBOL_NAMESPACE),
                        Boolean.parseBoolean(str(a, "gpl")), list(a, "for.modules"), str(a, "ns")));
                case ModInfo.PARAM_NAMESPACE -> params.add(new Param(str(a, ModInfo.PARAM_NAMESPACE),
                        str(a, "type").toLowerCase(Locale.ROOT), str(a, "default"), str(a, "perm"),
                        str(a, "description"), list(a, "values")));
                default -> {
                    // other capabilities of the bundle are no part of .modinfo
                }
            }
        }
        if (module == null || str(module, ModInfo.MODULE_NAMESPACE).isEmpty()) {
            throw new NotAModule("no .modinfo");
        }
        String name = str(module, ModInfo.MODULE_NAMESPACE).replace('-', '_');
        String initcall = str(module, "initcall");
        return new ModuleInfo(name, str(module, "license"), str(module, "description"), str(module, "author"),
                str(module, "modversion"), str(module, "vermagic"), list(module, "alias"), list(module, "imports"),
                list(module, "import.ns"), str(module, "softdep"), List.copyOf(exports), List.copyOf(params),
                str(module, "weakdep"), list(module, "steps"), initcall.isEmpty() ? name + "_init" : initcall);
    }

    /** The clause's attributes with OSGi typed names ({@code alias:List<String>}) turned into values. */
    private static Map<String, Object> attributes(Clause c) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Attribute a : c.getAttributes()) {
            String name = a.getName();
            String type = "String";
            int colon = name.indexOf(':');
            if (colon >= 0) {
                type = name.substring(colon + 1).trim();
                name = name.substring(0, colon).trim();
            }
            out.put(name, type.startsWith("List") ? splitList(a.getValue()) : unescape(a.getValue()));
        }
        return out;
    }

    /** A List attribute's value: comma separated, '\' escapes a comma or itself (OSGi core 3.2.4). */
    private static List<String> splitList(String v) {
        List<String> out = new ArrayList<>();
        if (v.isEmpty()) {
            return out;
        }
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            if (ch == '\\' && i + 1 < v.length()) {
                cur.append(v.charAt(++i));
            } else if (ch == ',') {
                out.add(cur.toString().trim());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        out.add(cur.toString().trim());
        return out;
    }

    private static String unescape(String v) {
        if (v.indexOf('\\') < 0) {
            return v;
        }
        StringBuilder b = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            if (ch == '\\' && i + 1 < v.length()) {
                ch = v.charAt(++i);
            }
            b.append(ch);
        }
        return b.toString();
    }

    private static String str(Map<String, Object> a, String key) {
        Object v = a.get(key);
        if (v == null) {
            return "";
        }
        if (v instanceof List<?> l) {
            return String.join(",", l.stream().map(Object::toString).toList());
        }
        return v.toString();
    }

    private static List<String> list(Map<String, Object> a, String key) {
        Object v = a.get(key);
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> l) {
            return l.stream().map(Object::toString).toList();
        }
        String s = v.toString();
        return s.isEmpty() ? List.of() : List.of(s);
    }
}
