package org.kvmosgi.kmod.lib;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.syscall.Syscalls;

/**
 * libkmod's context over the model's system calls: the module directory of the running
 * release, its indexes (modules.dep, modules.alias, modules.symbols), the modprobe.d
 * configuration, and the loaded modules as /proc and /sys show them.
 */
public final class Kmod {
    /** Where libkmod looks for configuration, in priority order (a file name in an earlier directory hides later ones). */
    public static final List<String> CONFIG_DIRS = List.of("/etc/modprobe.d", "/run/modprobe.d",
            "/usr/local/lib/modprobe.d", "/usr/lib/modprobe.d", "/lib/modprobe.d");

    /** A module as libkmod handles it: a name, the alias it was found by, and its file once known. */
    public static final class Mod {
        public final String name;
        public final String alias;
        String path;

        Mod(String name, String alias, String path) {
            this.name = name;
            this.alias = alias;
            this.path = path;
        }

        /** The absolute path of the module file, or null when modules.dep does not know it. */
        public String path() {
            return path;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private final Syscalls sys;
    private final String release;
    private final String dirname;
    private final Log log;
    private final KmodCache cache;
    private ModprobeConfig config;
    private ModulesDep dep;
    private AliasIndex aliases;
    private AliasIndex symbols;
    private java.util.Set<String> builtin;
    private Map<String, List<String[]>> builtinModinfo;

    public Kmod(Syscalls sys, Log log) {
        this(sys, log, sys.kernelRelease());
    }

    public Kmod(Syscalls sys, Log log, String release) {
        this(sys, log, release, new KmodCache());
    }

    /** A context whose indexes and configuration come from {@code cache} while their files are unchanged. */
    public Kmod(Syscalls sys, Log log, String release, KmodCache cache) {
        this.sys = sys;
        this.log = log;
        this.cache = cache;
        this.release = release;
        this.dirname = "/lib/modules/" + release;
    }

    public Syscalls sys() {
        return sys;
    }

    public String release() {
        return release;
    }

    /** {@code /lib/modules/<release>}. */
    public String dirname() {
        return dirname;
    }

    public Log log() {
        return log;
    }

    // ------------------------------------------------------------ files

    /** A file's content, or null when it does not exist or cannot be read. */
    public String readOrNull(String path) {
        try {
            return sys.read(path);
        } catch (ErrnoException e) {
            return null;
        }
    }

    public List<String> listOrEmpty(String path) {
        try {
            return sys.list(path);
        } catch (ErrnoException e) {
            return List.of();
        }
    }

    public boolean isRegularFile(String path) {
        try {
            sys.read(path);
            return true;
        } catch (ErrnoException e) {
            return false;
        }
    }

    // ------------------------------------------------------------ configuration and indexes

    /**
     * kmod_config_new(): modules.softdep and the modprobe.d files, sorted by file name, then
     * /proc/cmdline. Parsed once per change of those files; its errors are printed by every
     * tool that reads it, as each run of a kmod tool prints them.
     */
    public ModprobeConfig config() {
        if (config == null) {
            config = cache.get(sys, "config " + dirname, this::parseConfig);
            for (String e : config.errors) {
                log.err(e);
            }
        }
        return config;
    }

    private ModprobeConfig parseConfig(KmodCache.Reader r) {
        ModprobeConfig c = new ModprobeConfig();
        Map<String, String> files = new TreeMap<>();
        // depmod's modules.softdep sorts among the modprobe.d files by its name, as in kmod_config_new()
        files.put("modules.softdep", dirname + "/modules.softdep");
        files.put("modules.weakdep", dirname + "/modules.weakdep");
        for (String dir : CONFIG_DIRS) {
            for (String fn : r.listOrEmpty(dir)) {
                if (fn.startsWith(".") || !(fn.endsWith(".conf") || fn.endsWith(".alias"))) {
                    continue;
                }
                files.putIfAbsent(fn, dir + "/" + fn);
            }
        }
        for (String path : files.values()) {
            String text = r.readOrNull(path);
            if (text != null) {
                c.parse(path, text);
            }
        }
        String cmdline = r.readOrNull("/proc/cmdline");
        if (cmdline != null) {
            c.parseKernelCmdline(cmdline);
        }
        return c;
    }

    public ModulesDep modulesDep() {
        if (dep == null) {
            dep = cache.get(sys, dirname + "/modules.dep", r -> ModulesDep.parse(orEmpty(r, "/modules.dep")));
        }
        return dep;
    }

    public AliasIndex aliasIndex() {
        if (aliases == null) {
            aliases = cache.get(sys, dirname + "/modules.alias", r -> AliasIndex.parse(orEmpty(r, "/modules.alias")));
        }
        return aliases;
    }

    public AliasIndex symbolIndex() {
        if (symbols == null) {
            symbols = cache.get(sys, dirname + "/modules.symbols",
                    r -> AliasIndex.parse(orEmpty(r, "/modules.symbols")));
        }
        return symbols;
    }

    private String orEmpty(KmodCache.Reader r, String file) {
        String text = r.readOrNull(dirname + file);
        return text == null ? "" : text;
    }

    /** modules.builtin: the names of the modules built into the image (kbuild paths, named as path_to_modname). */
    public java.util.Set<String> builtinModules() {
        if (builtin == null) {
            builtin = cache.get(sys, dirname + "/modules.builtin", r -> {
                java.util.Set<String> b = new java.util.LinkedHashSet<>();
                for (String line : orEmpty(r, "/modules.builtin").split("\n")) {
                    String n = line.isBlank() ? null : ModName.fromPath(line.strip());
                    if (n != null) {
                        b.add(n);
                    }
                }
                return java.util.Collections.unmodifiableSet(b);
            });
        }
        return builtin;
    }

    /** kmod_module_is_builtin(). */
    public boolean isBuiltin(String name) {
        return builtinModules().contains(ModName.normalize(name));
    }

    /**
     * A built-in module's .modinfo from modules.builtin.modinfo ({@code modname.key=value},
     * NUL-separated), in file order; null when that file is missing.
     */
    public List<String[]> builtinModinfo(String name) {
        if (builtinModinfo == null) {
            String text = readOrNull(dirname + "/modules.builtin.modinfo");
            if (text == null) {
                return null;
            }
            Map<String, List<String[]>> m = new java.util.HashMap<>();
            for (String entry : text.split("\0")) {
                int dot = entry.indexOf('.');
                int eq = entry.indexOf('=', dot + 1);
                if (dot <= 0 || eq < 0) {
                    continue;
                }
                m.computeIfAbsent(entry.substring(0, dot), k -> new ArrayList<>())
                        .add(new String[] {entry.substring(dot + 1, eq), entry.substring(eq + 1)});
            }
            builtinModinfo = m;
        }
        return builtinModinfo.getOrDefault(ModName.normalize(name), List.of());
    }

    // ------------------------------------------------------------ modules

    public Mod fromName(String name) {
        String n = ModName.normalize(name);
        return new Mod(n, null, pathOf(n));
    }

    /** kmod_module_new_from_path(): the name is the file's basename up to its first '.' (path_to_modname). */
    public Mod fromPath(String path) {
        String n = ModName.anyPathToModname(path);
        return n.isEmpty() ? null : new Mod(n, null, path);
    }

    private String pathOf(String name) {
        ModulesDep.Entry e = modulesDep().get(name);
        return e == null ? null : absolute(e.path());
    }

    /** A modules.dep path made absolute against the module directory. */
    public String absolute(String relpath) {
        return relpath.startsWith("/") ? relpath : dirname + "/" + relpath;
    }

    /**
     * kmod_module_new_from_lookup(): the configuration's aliases, modules.dep, modules.symbols,
     * install/remove commands, modules.alias; the first that knows the name answers.
     * Returns null for a name libkmod rejects (an unmatched bracket).
     */
    public List<Mod> lookup(String given) {
        String name = ModName.underscores(given);
        if (name == null) {
            return null;
        }
        List<Mod> out = new ArrayList<>();
        for (ModprobeConfig.Alias a : config().aliases) {
            if (Fnmatch.matches(a.name(), name)) {
                out.add(new Mod(a.modname(), a.name(), pathOf(a.modname())));
            }
        }
        if (!out.isEmpty()) {
            return out;
        }
        if (modulesDep().contains(name)) {
            return List.of(new Mod(name, null, pathOf(name)));
        }
        if (name.startsWith("symbol:")) {
            String owner = symbolIndex().exact(name);
            if (owner != null) {
                return List.of(new Mod(owner, name, pathOf(owner)));
            }
        }
        for (ModprobeConfig.Command c : config().install) {
            if (c.modname().equals(name)) {
                return List.of(new Mod(name, null, pathOf(name)));
            }
        }
        for (ModprobeConfig.Command c : config().remove) {
            if (c.modname().equals(name)) {
                return List.of(new Mod(name, null, pathOf(name)));
            }
        }
        for (String m : aliasIndex().match(name)) {
            out.add(new Mod(m, name, pathOf(m)));
        }
        if (out.isEmpty() && isBuiltin(name)) {
            // kmod_lookup_alias_from_builtin_file(): last, and with no file
            out.add(new Mod(name, null, null));
        }
        return out;
    }

    /** The module's dependencies from modules.dep in libkmod's order (deepest first). */
    public List<Mod> dependencies(Mod m) {
        List<Mod> out = new ArrayList<>();
        ModulesDep.Entry e = modulesDep().get(m.name);
        if (e == null) {
            return out;
        }
        for (String p : e.deps()) {
            String n = ModName.fromPath(p);
            out.add(0, new Mod(n, null, absolute(p)));
        }
        return out;
    }

    /**
     * kmod_module_get_weakdeps(): the names of the first weakdep line matching the module
     * (modprobe.d and modules.weakdep), each looked up; libkmod never loads them.
     */
    public List<Mod> weakdeps(Mod m) {
        List<Mod> out = new ArrayList<>();
        for (ModprobeConfig.Softdep w : config().weakdeps) {
            if (!Fnmatch.matches(w.modname(), m.name)) {
                continue;
            }
            for (String n : w.pre()) {
                if (n.isEmpty()) {
                    continue;
                }
                List<Mod> found = lookup(n);
                if (found != null) {
                    out.addAll(found);
                }
            }
            break;
        }
        return out;
    }

    // ------------------------------------------------------------ the running kernel

    /** kmod_module_get_initstate(): "builtin", "live", "coming", "going", or null when not loaded. */
    public String initstate(String name) {
        if (isBuiltin(name)) {
            return "builtin";
        }
        try {
            return sys.read("/sys/module/" + name + "/initstate").strip();
        } catch (ErrnoException e) {
            // the directory without initstate is a module still coming up
            try {
                sys.list("/sys/module/" + name);
                return "coming";
            } catch (ErrnoException e2) {
                return null;
            }
        }
    }

    /** module_is_inkernel(): LIVE or BUILTIN (a module still COMING is not counted). */
    public boolean isInKernel(String name) {
        String state = initstate(name);
        return "live".equals(state) || "builtin".equals(state);
    }

    /** kmod_module_get_refcnt(): the count, or -errno. */
    public int refcnt(String name) {
        try {
            return Integer.parseInt(sys.read("/sys/module/" + name + "/refcnt").strip());
        } catch (ErrnoException e) {
            return -e.errno();
        } catch (NumberFormatException e) {
            return Errno.EINVAL.neg();
        }
    }

    /** kmod_module_get_holders(): the names in /sys/module/NAME/holders; null when it cannot be read. */
    public List<String> holders(String name) {
        try {
            return sys.list("/sys/module/" + name + "/holders");
        } catch (ErrnoException e) {
            return null;
        }
    }

    /** kmod_module_get_size(): coresize, else /proc/modules' second column, else -errno. */
    public long size(String name) {
        String coresize = readOrNull("/sys/module/" + name + "/coresize");
        if (coresize != null) {
            try {
                return Long.parseLong(coresize.strip());
            } catch (NumberFormatException e) {
                // fall back on /proc/modules
            }
        }
        String proc = readOrNull("/proc/modules");
        if (proc != null) {
            for (String line : proc.split("\n")) {
                String[] w = line.split("[ \t]+");
                if (w.length > 1 && w[0].equals(name)) {
                    try {
                        return Long.parseLong(w[1]);
                    } catch (NumberFormatException e) {
                        break;
                    }
                }
            }
        }
        return Errno.ENOENT.neg();
    }

    /** The loaded modules' names in /proc/modules order (kmod_module_new_from_loaded). */
    public List<String> loaded() throws ErrnoException {
        List<String> out = new ArrayList<>();
        for (String line : sys.read("/proc/modules").split("\n")) {
            String[] w = line.strip().split("[ \t]+");
            if (!w[0].isEmpty()) {
                out.add(w[0]);
            }
        }
        return out;
    }

    /** finit_module(); 0 or -errno. */
    public int insert(String path, String options, int flags) {
        try {
            sys.finitModule(path, options == null ? "" : options, flags);
            return 0;
        } catch (ErrnoException e) {
            return -e.errno();
        }
    }

    /** delete_module() with O_NONBLOCK as libkmod always passes, O_TRUNC when forced; 0 or -errno. */
    public int remove(String name, boolean force) {
        try {
            sys.deleteModule(name, Syscalls.O_NONBLOCK | (force ? Syscalls.O_TRUNC : 0));
            return 0;
        } catch (ErrnoException e) {
            return -e.errno();
        }
    }
}
