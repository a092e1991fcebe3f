package org.kvmosgi.diag.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.apache.felix.utils.manifest.Attribute;
import org.apache.felix.utils.manifest.Clause;
import org.apache.felix.utils.manifest.Parser;

/**
 * Reads a module file's modinfo from its manifest (the {@code kernel.module} and
 * {@code kernel.symbol} capabilities), as depmod reads .modinfo: no code of the module
 * runs, so its injection points are known before it is loaded.
 */
public final class ModinfoReader {
    static final String MODULE_NS = "kernel.module";
    static final String SYMBOL_NS = "kernel.symbol";

    private ModinfoReader() {}

    /** The modinfo of the module file at {@code file}, or null when it is no module. */
    public static ModuleFile read(Path file, String path) throws IOException {
        Manifest mf;
        try (JarFile jar = new JarFile(file.toFile(), false)) {
            mf = jar.getManifest();
        } catch (java.util.zip.ZipException e) {
            return null;
        }
        if (mf == null) {
            return null;
        }
        return fromHeader(mf.getMainAttributes().getValue(new Attributes.Name("Provide-Capability")), path);
    }

    /** Builds the modinfo from a Provide-Capability header; null when it declares no module. */
    public static ModuleFile fromHeader(String header, String path) {
        if (header == null || header.isBlank()) {
            return null;
        }
        Clause[] clauses;
        try {
            clauses = Parser.parseHeader(header);
        } catch (IllegalArgumentException e) {
            return null;
        }
        String name = null;
        List<String> imports = List.of();
        List<String> steps = List.of();
        String softdep = "";
        String license = "";
        List<String> exports = new ArrayList<>();
        List<String> gplExports = new ArrayList<>();
        for (Clause c : clauses) {
            if (c.getName().equals(MODULE_NS)) {
                name = value(c, MODULE_NS);
                imports = list(c, "imports");
                steps = list(c, "steps");
                softdep = value(c, "softdep");
                license = value(c, "license");
            } else if (c.getName().equals(SYMBOL_NS)) {
                exports.add(value(c, SYMBOL_NS));
                if ("true".equals(value(c, "gpl"))) {
                    gplExports.add(value(c, SYMBOL_NS));
                }
            }
        }
        if (name == null || name.isEmpty()) {
            return null;
        }
        return new ModuleFile(Snapshot.modname(name), path, imports, exports, steps, softdep == null ? "" : softdep,
                license == null ? "" : license, gplExports);
    }

    private static Attribute attr(Clause c, String name) {
        for (Attribute a : c.getAttributes()) {
            String n = a.getName();
            int colon = n.indexOf(':');
            if ((colon < 0 ? n : n.substring(0, colon)).trim().equals(name)) {
                return a;
            }
        }
        return null;
    }

    private static String value(Clause c, String name) {
        Attribute a = attr(c, name);
        return a == null ? "" : unescape(a.getValue());
    }

    /** A {@code List<String>} attribute: comma separated, '\' escaping (OSGi core 3.2.4). */
    static List<String> list(Clause c, String name) {
        Attribute a = attr(c, name);
        if (a == null || a.getValue().isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        String v = a.getValue();
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
        out.removeIf(String::isEmpty);
        return out;
    }

    private static String unescape(String v) {
        return v.indexOf('\\') < 0 ? v : v.replaceAll("\\\\(.)", "$1");
    }
}
