package org.kvmosgi.kmod.tool;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.modinfo.ModuleInfo;
import org.kvmosgi.kernel.api.modsig.ModuleSignature;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kmod.lib.Getopt;
import org.kvmosgi.kmod.lib.Kmod;
import org.kvmosgi.kmod.lib.Kmod.Mod;
import org.kvmosgi.kmod.lib.Log;
import org.kvmosgi.kmod.lib.ModName;

/**
 * modinfo [-F field] [-adlpn0] NAME|FILE... (tools/modinfo.c): the module's .modinfo
 * fields, {@code key:} padded to 16 columns, parameters last as {@code parm:} lines.
 */
public final class Modinfo extends Tool {
    private static final Getopt OPTS = new Getopt("modinfo", "adlpn0mF:k:b:Vh", Map.ofEntries(
            Map.entry("author", "a"), Map.entry("description", "d"), Map.entry("license", "l"),
            Map.entry("parameters", "p"), Map.entry("filename", "n"), Map.entry("null", "0"),
            Map.entry("modname", "m"), Map.entry("field=", "F"), Map.entry("set-version=", "k"),
            Map.entry("basedir=", "b"), Map.entry("version", "V"), Map.entry("help", "h")));

    public Modinfo(Syscalls sys, PrintStream out, PrintStream err) {
        super(sys, out, err, "modinfo", Log.LOG_ERR);
    }

    private String field;
    private boolean argIsModname;
    private char separator = '\n';
    private Kmod kmod;

    @Override
    void run(String... args) {
        Getopt.Result r;
        try {
            r = OPTS.parse(args);
        } catch (Getopt.UsageError e) {
            usage(e);
            return;
        }
        String version = null;
        for (Getopt.Opt o : r.options()) {
            switch (o.key()) {
                case "a" -> field = "author";
                case "d" -> field = "description";
                case "l" -> field = "license";
                case "p" -> field = "parm";
                case "n" -> field = "filename";
                case "m" -> argIsModname = true;
                case "0" -> separator = '\0';
                case "F" -> field = o.arg();
                case "k" -> version = o.arg();
                case "b" -> {
                    log.err("option -b is not supported: the model has one root");
                    log.exit(1);
                    return;
                }
                case "V" -> {
                    out.println(VERSION);
                    return;
                }
                case "h" -> {
                    out.print("Usage:\n\tmodinfo [options] <modulename|filename> [args]\nOptions:\n"
                            + "\t-a, --author                Print only 'author'\n"
                            + "\t-d, --description           Print only 'description'\n"
                            + "\t-l, --license               Print only 'license'\n"
                            + "\t-p, --parameters            Print only 'parm'\n"
                            + "\t-n, --filename              Print only 'filename'\n"
                            + "\t-0, --null                  Use \\0 instead of \\n\n"
                            + "\t-m, --modname               Handle argument as module name instead of alias or filename\n"
                            + "\t-F, --field=FIELD           Print only provided FIELD\n"
                            + "\t-k, --set-version=VERSION   Use VERSION instead of `uname -r`\n"
                            + "\t-V, --version               Show version\n"
                            + "\t-h, --help                  Show this help\n");
                    return;
                }
                default -> {
                    // every key is handled above
                }
            }
        }
        if (r.operands().isEmpty()) {
            log.err("missing module or filename.");
            log.exit(1);
            return;
        }
        kmod = kmod(version);
        int err = 0;
        for (String name : r.operands()) {
            int e;
            if (argIsModname) {
                e = nameDo(name);
            } else if (ModName.isModuleFileName(name) && isRegularFile(name)) {
                e = pathDo(name);
            } else {
                e = aliasDo(name);
            }
            if (e < 0) {
                err = e;
            }
        }
        out.flush();
        log.exit(err < 0 ? 1 : 0);
    }

    private int pathDo(String path) {
        Mod m = kmod.fromPath(absolute(path));
        if (m == null) {
            log.err("Module file " + path + " not found.");
            return Errno.ENOENT.neg();
        }
        return modinfoDo(m);
    }

    /** modinfo_name_do(): modules.dep only, no aliases. */
    private int nameDo(String name) {
        Mod m = kmod.fromName(name);
        if (m.path() == null) {
            log.err("Module name " + name + " not found.");
            return Errno.ENOENT.neg();
        }
        return modinfoDo(m);
    }

    private int aliasDo(String alias) {
        List<Mod> list = kmod.lookup(alias);
        if (list == null) {
            log.err("Module alias " + alias + " not found.");
            return Errno.EINVAL.neg();
        }
        if (list.isEmpty()) {
            log.err("Module " + alias + " not found.");
            return Errno.ENOENT.neg();
        }
        int err = 0;
        for (Mod m : list) {
            int e = modinfoDo(m);
            if (e < 0) {
                err = e;
            }
        }
        return err;
    }

    private int modinfoDo(Mod m) {
        if (m.path() == null && kmod.isBuiltin(m.name)) {
            return builtinDo(m);
        }
        if (m.path() == null) {
            log.err("could not get modinfo from '" + m.name + "': " + Errno.ENOENT.strerror());
            return Errno.ENOENT.neg();
        }
        ModuleInfo info;
        byte[] file;
        try {
            file = sys.readBytes(m.path());
            info = ModuleInfo.read(file);
        } catch (ErrnoException e) {
            log.err("could not get modinfo from '" + m.name + "': " + Errno.ENOENT.strerror());
            return Errno.ENOENT.neg();
        } catch (ModuleInfo.NotAModule e) {
            log.err("could not get modinfo from '" + m.name + "': " + Errno.ENOEXEC.strerror());
            return Errno.ENOEXEC.neg();
        }
        out.print(format(m.path(), info, depends(info), signature(file), field, separator));
        return 0;
    }

    /** kmod_module_signature_info: the file's signature, or null when it has none kmod can read. */
    private static ModuleSignature signature(byte[] file) {
        try {
            return ModuleSignature.read(file);
        } catch (IOException | ModuleSignature.NotPkcs7 | ModuleSignature.Malformed e) {
            return null;
        }
    }

    /**
     * modinfo_do() for a built-in module: {@code name:}, {@code filename: (builtin)}, then
     * its modules.builtin.modinfo strings (parameters last, description and type joined);
     * without that file only the first two lines.
     */
    private int builtinDo(Mod m) {
        StringBuilder b = new StringBuilder();
        if (field == null) {
            b.append(String.format("%-16s%s", "name:", m.name)).append(separator);
        } else if (field.equals("name")) {
            b.append(m.name).append(separator);
        }
        if ("filename".equals(field)) {
            out.print("(builtin)" + separator);
            return 0;
        } else if (field == null) {
            b.append(String.format("%-16s%s", "filename:", "(builtin)")).append(separator);
        }
        List<String[]> info = kmod.builtinModinfo(m.name);
        if (info == null) {
            out.print(b);
            return 0;
        }
        List<String[]> parms = new ArrayList<>();
        java.util.Map<String, String> types = new java.util.LinkedHashMap<>();
        for (String[] kv : info) {
            String key = kv[0];
            if (key.equals("parm") || key.equals("parmtype")) {
                String name = kv[1].contains(":") ? kv[1].substring(0, kv[1].indexOf(':')) : kv[1];
                String rest = kv[1].substring(name.length() + (kv[1].contains(":") ? 1 : 0));
                if (key.equals("parmtype")) {
                    types.put(name, rest);
                    if (parms.stream().noneMatch(p -> p[0].equals(name))) {
                        parms.add(new String[] {name, null});
                    }
                } else {
                    parms.removeIf(p -> p[0].equals(name));
                    parms.add(new String[] {name, rest});
                }
                continue;
            }
            if (field != null) {
                if (field.equals(key)) {
                    b.append(kv[1]).append(separator);
                }
            } else if (separator == '\0') {
                b.append(key).append('=').append(kv[1]).append(separator);
            } else {
                b.append(String.format("%-16s%s", key + ":", kv[1])).append(separator);
            }
        }
        if ("parm".equals(field)) {
            // modinfo_params_do(): each parameter once, its description and type together
            for (String[] p : parms) {
                String type = types.get(p[0]);
                b.append(p[0]).append(':').append(p[1] == null ? "" : p[1])
                        .append(type == null ? "" : " (" + type + ")").append(separator);
            }
        }
        if (field == null) {
            for (String[] p : parms) {
                String type = types.get(p[0]);
                b.append(String.format("%-16s%s:", "parm:", p[0]));
                if (p[1] != null) {
                    b.append(p[1]).append(type == null ? "" : " (" + type + ")");
                } else if (type != null) {
                    b.append(type);
                }
                b.append(separator);
            }
        }
        out.print(b);
        return 0;
    }

    /** The modules that own the imported symbols, as modpost writes .modinfo's depends=. */
    private String depends(ModuleInfo info) {
        Set<String> deps = new LinkedHashSet<>();
        for (String sym : info.imports()) {
            String owner = kmod.symbolIndex().exact("symbol:" + sym);
            if (owner != null && !owner.equals(info.name())) {
                deps.add(owner);
            }
        }
        return String.join(",", deps);
    }

    /** The .modinfo strings in section order, as key/value pairs (parm and parmtype included). */
    public static List<String[]> fields(ModuleInfo info, String depends) {
        List<String[]> f = new ArrayList<>();
        info.strings().forEach(e -> f.add(new String[] {e.getKey(), e.getValue()}));
        f.add(new String[] {"depends", depends});
        f.add(new String[] {"name", info.name()});
        add(f, "vermagic", info.vermagic());
        info.paramStrings().forEach(e -> f.add(new String[] {e.getKey(), e.getValue()}));
        return f;
    }

    /**
     * The signer fields kmod_module_get_info appends after the .modinfo strings: sig_id,
     * signer, sig_key, sig_hashalgo, signature; none for an unsigned module.
     */
    public static List<String[]> signatureFields(ModuleSignature sig) {
        if (sig == null) {
            return List.of();
        }
        List<String[]> f = new ArrayList<>();
        f.add(new String[] {"sig_id", sig.idType()});
        f.add(new String[] {"signer", sig.signer()});
        add(f, "sig_key", hex(sig.keyId()));
        f.add(new String[] {"sig_hashalgo", sig.hashAlgo()});
        add(f, "signature", hex(sig.signature()));
        return f;
    }

    /** kmod_module_hex_to_str: upper-case bytes joined by ':', a "\n\t\t" break after every 20. */
    static String hex(byte[] bytes) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < bytes.length; i++) {
            b.append(String.format("%02X", bytes[i] & 0xff));
            if (i < bytes.length - 1) {
                b.append(':');
                if ((i + 1) % 20 == 0) {
                    b.append("\n\t\t");
                }
            }
        }
        return b.toString();
    }

    private static void add(List<String[]> f, String key, String value) {
        if (value != null && !value.isEmpty()) {
            f.add(new String[] {key, value});
        }
    }

    /** modinfo_do() of an unsigned module. */
    public static String format(String filename, ModuleInfo info, String depends, String field, char sep) {
        return format(filename, info, depends, null, field, sep);
    }

    /** modinfo_do(): all fields (the signer's after the .modinfo strings), or only {@code field}'s values. */
    public static String format(String filename, ModuleInfo info, String depends, ModuleSignature sig, String field,
            char sep) {
        StringBuilder b = new StringBuilder();
        if (field != null && field.equals("filename")) {
            return filename + sep;
        }
        if (field == null) {
            b.append(String.format("%-16s%s", "filename:", filename)).append(sep);
        }
        if ("parm".equals(field)) {
            // modinfo_params_do(): each parameter once, its description and type together
            for (ModuleInfo.Param p : info.params()) {
                if (p.description().isEmpty()) {
                    b.append(p.name()).append(": (").append(p.type()).append(')').append(sep);
                } else {
                    b.append(p.name()).append(':').append(p.description()).append(" (").append(p.type()).append(')')
                            .append(sep);
                }
            }
            return b.toString();
        }
        List<String[]> all = new ArrayList<>(fields(info, depends));
        all.addAll(signatureFields(sig));
        for (String[] kv : all) {
            String key = kv[0];
            String value = kv[1];
            if (field != null) {
                if (field.equals(key)) {
                    b.append(value).append(sep);
                }
                continue;
            }
            if (key.equals("parm") || key.equals("parmtype")) {
                continue;
            }
            if (sep == '\0') {
                b.append(key).append('=').append(value).append(sep);
                continue;
            }
            b.append(key).append(':').append(" ".repeat(Math.max(0, 15 - key.length()))).append(value).append(sep);
        }
        if (field == null) {
            for (ModuleInfo.Param p : info.params()) {
                b.append(String.format("%-16s%s:", "parm:", p.name()));
                if (!p.description().isEmpty()) {
                    b.append(p.description()).append(" (").append(p.type()).append(')');
                } else {
                    b.append(p.type());
                }
                b.append(sep);
            }
        }
        return b.toString();
    }
}
