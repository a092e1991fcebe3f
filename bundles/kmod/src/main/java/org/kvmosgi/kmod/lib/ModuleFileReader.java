package org.kvmosgi.kmod.lib;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
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

/**
 * Reads a module file (a bundle named like a .ko) the way depmod and modinfo read an
 * ELF's .modinfo section: the manifest's Provide-Capability header, parsed with Felix's
 * manifest header parser, and nothing of the module's code.
 */
public final class ModuleFileReader {
    static final String MODULE_NS = "kernel.module";
    static final String SYMBOL_NS = "kernel.symbol";
    static final String PARAM_NS = "kernel.param";

    /** The file is not a module: no manifest, no {@code kernel.module} capability, or a malformed header (ENOEXEC). */
    public static final class NotAModule extends Exception {
        private static final long serialVersionUID = 1L;

        public NotAModule(String message) {
            super(message, null, false, false);
        }
    }

    private ModuleFileReader() {}

    public static ModuleInfo read(Path file) throws IOException, NotAModule {
        if (!Files.isRegularFile(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString());
        }
        Manifest mf;
        try (JarFile jar = new JarFile(file.toFile(), false)) {
            mf = jar.getManifest();
        } catch (java.util.zip.ZipException e) {
            throw new NotAModule("not a module file: " + e.getMessage());
        }
        if (mf == null) {
            throw new NotAModule("no manifest");
        }
        return fromHeader(mf.getMainAttributes().getValue(new Attributes.Name("Provide-Capability")));
    }

    /** Reads a module file's content (as the system call readBytes gives it). */
    public static ModuleInfo read(byte[] file) throws NotAModule {
        Manifest mf = null;
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(file), false)) {
            mf = in.getManifest();
            // a manifest that is not among the first entries is still the jar's manifest
            for (JarEntry e = in.getNextJarEntry(); mf == null && e != null; e = in.getNextJarEntry()) {
                if (e.getName().equalsIgnoreCase(JarFile.MANIFEST_NAME)) {
                    mf = new Manifest(in);
                }
            }
        } catch (IOException e) {
            throw new NotAModule("not a module file: " + e.getMessage());
        }
        if (mf == null) {
            throw new NotAModule("no manifest");
        }
        return fromHeader(mf.getMainAttributes().getValue(new Attributes.Name("Provide-Capability")));
    }

    /** Builds the modinfo from a Provide-Capability header value. */
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
        Map<String, Object> module = null;
        List<ModuleInfo.Export> exports = new ArrayList<>();
        List<ModuleInfo.Param> params = new ArrayList<>();
        for (Clause c : clauses) {
            Map<String, Object> attrs = attributes(c);
            switch (c.getName()) {
                case MODULE_NS -> {
                    if (module != null) {
                        throw new NotAModule("more than one .modinfo");
                    }
                    module = attrs;
                }
                case SYMBOL_NS -> exports.add(new ModuleInfo.Export(str(attrs, SYMBOL_NS),
                        Boolean.parseBoolean(str(attrs, "gpl")), list(attrs, "for.modules"), str(attrs, "ns")));
                case PARAM_NS -> params.add(new ModuleInfo.Param(str(attrs, PARAM_NS),
                        str(attrs, "type").toLowerCase(Locale.ROOT), str(attrs, "default"), str(attrs, "perm"),
                        str(attrs, "description")));
                default -> {
                    // other capabilities of the bundle are no part of .modinfo
                }
            }
        }
        if (module == null || str(module, MODULE_NS).isEmpty()) {
            throw new NotAModule("no .modinfo");
        }
        return new ModuleInfo(ModName.normalize(str(module, MODULE_NS)), str(module, "license"),
                str(module, "description"), str(module, "author"), str(module, "modversion"),
                str(module, "vermagic"), list(module, "alias"), list(module, "imports"),
                list(module, "import.ns"), str(module, "softdep"), List.copyOf(exports), List.copyOf(params),
                str(module, "weakdep"));
    }

    /** The clause's attributes with OSGi typed names ({@code alias:List<String>}) turned into values. */
    static Map<String, Object> attributes(Clause c) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Attribute a : c.getAttributes()) {
            String name = a.getName();
            String type = "String";
            int colon = name.indexOf(':');
            if (colon >= 0) {
                type = name.substring(colon + 1).trim();
                name = name.substring(0, colon).trim();
            }
            if (type.startsWith("List")) {
                out.put(name, splitList(a.getValue()));
            } else {
                out.put(name, unescape(a.getValue()));
            }
        }
        return out;
    }

    /** A List attribute's value: comma separated, '\' escapes a comma or itself (OSGi core 3.2.4). */
    static List<String> splitList(String v) {
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

    @SuppressWarnings("unchecked")
    private static List<String> list(Map<String, Object> a, String key) {
        Object v = a.get(key);
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> l) {
            return List.copyOf((List<String>) l);
        }
        String s = v.toString();
        return s.isEmpty() ? List.of() : List.of(s);
    }
}
