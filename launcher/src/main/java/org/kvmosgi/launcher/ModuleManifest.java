package org.kvmosgi.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.apache.felix.utils.manifest.Attribute;
import org.apache.felix.utils.manifest.Clause;
import org.apache.felix.utils.manifest.Parser;

/**
 * What the build tools (kbuild's modules.builtin.modinfo, modpost) read of a module
 * bundle: its name, its .modinfo strings and its exported symbols, from the manifest's
 * {@code kernel.module}, {@code kernel.param} and {@code kernel.symbol} capabilities.
 */
public record ModuleManifest(String name, List<String[]> modinfo, List<String> exports) {
    private static final String MODULE_NS = "kernel.module";
    private static final String SYMBOL_NS = "kernel.symbol";
    private static final String PARAM_NS = "kernel.param";

    /** Reads a module bundle; an IOException names the file when it is not a module. */
    public static ModuleManifest read(Path bundle) throws IOException {
        Manifest mf;
        try (JarFile jar = new JarFile(bundle.toFile(), false)) {
            mf = jar.getManifest();
        }
        String header = mf == null ? null : mf.getMainAttributes().getValue("Provide-Capability");
        if (header == null) {
            throw new IOException(bundle + " is not a module: no .modinfo (Provide-Capability)");
        }
        String name = null;
        List<String[]> info = new ArrayList<>();
        List<String[]> params = new ArrayList<>();
        List<String> exports = new ArrayList<>();
        for (Clause c : Parser.parseHeader(header)) {
            switch (c.getName()) {
                case MODULE_NS -> {
                    name = value(c, MODULE_NS).replace('-', '_');
                    // the order of MODULE_* strings in a .modinfo section, as modinfo lists them
                    add(info, "version", value(c, "modversion"));
                    add(info, "license", value(c, "license"));
                    add(info, "description", value(c, "description"));
                    add(info, "author", value(c, "author"));
                    for (String a : list(c, "alias")) {
                        add(info, "alias", a);
                    }
                    add(info, "softdep", value(c, "softdep"));
                    add(info, "weakdep", value(c, "weakdep"));
                    for (String ns : list(c, "import.ns")) {
                        add(info, "import_ns", ns);
                    }
                }
                case PARAM_NS -> {
                    String p = value(c, PARAM_NS);
                    if (!value(c, "description").isEmpty()) {
                        params.add(new String[] {"parm", p + ":" + value(c, "description")});
                    }
                    params.add(new String[] {"parmtype", p + ":" + value(c, "type").toLowerCase(java.util.Locale.ROOT)});
                }
                case SYMBOL_NS -> exports.add(value(c, SYMBOL_NS));
                default -> {
                    // other capabilities are no part of .modinfo
                }
            }
        }
        if (name == null || name.isEmpty()) {
            throw new IOException(bundle + " is not a module: no kernel.module capability");
        }
        info.addAll(params);
        return new ModuleManifest(name, List.copyOf(info), List.copyOf(exports));
    }

    private static void add(List<String[]> info, String key, String value) {
        if (!value.isEmpty()) {
            info.add(new String[] {key, value});
        }
    }

    private static Attribute attribute(Clause c, String name) {
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
        Attribute a = attribute(c, name);
        return a == null ? "" : a.getValue().replace("\\,", ",").replace("\\\\", "\\");
    }

    /** A {@code List<String>} attribute: comma separated, '\' escaping a comma. */
    private static List<String> list(Clause c, String name) {
        Attribute a = attribute(c, name);
        List<String> out = new ArrayList<>();
        if (a == null || a.getValue().isEmpty()) {
            return out;
        }
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
        return out;
    }
}
