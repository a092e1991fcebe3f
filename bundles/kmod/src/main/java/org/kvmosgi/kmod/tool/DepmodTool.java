package org.kvmosgi.kmod.tool;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.modinfo.ModuleInfo;
import org.kvmosgi.kernel.api.syscall.Stat;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kmod.lib.Depmod;
import org.kvmosgi.kmod.lib.DepmodConfig;
import org.kvmosgi.kmod.lib.Getopt;
import org.kvmosgi.kmod.lib.KmodHash;
import org.kvmosgi.kmod.lib.Log;
import org.kvmosgi.kmod.lib.ModName;

/**
 * depmod [-a] [-n] [-e] [version] (tools/depmod.c): reads every module file's .modinfo
 * under /lib/modules/VERSION and writes modules.dep, modules.alias, modules.softdep,
 * modules.symbols and modules.devname (the text indexes; the model has no .bin ones).
 */
public final class DepmodTool extends Tool {
    private static final Getopt OPTS = new Getopt("depmod", "aAb:o:C:E:F:euqrvnP:wmVh", Map.ofEntries(
            Map.entry("all", "a"), Map.entry("quick", "A"), Map.entry("basedir=", "b"), Map.entry("outdir=", "o"),
            Map.entry("config=", "C"), Map.entry("symvers=", "E"), Map.entry("filesyms=", "F"),
            Map.entry("errsyms", "e"), Map.entry("unresolved-error", "u"), Map.entry("quiet", "q"),
            Map.entry("root", "r"), Map.entry("verbose", "v"), Map.entry("show", "n"), Map.entry("dry-run", "n"),
            Map.entry("symbol-prefix=", "P"), Map.entry("warn", "w"), Map.entry("map", "m"),
            Map.entry("version", "V"), Map.entry("help", "h")));
    private static final String HELP = "Usage:\n\tdepmod -[aA] [options] [forced_version]\n\n"
            + "If no arguments (except options) are given, \"depmod -a\" is assumed\n\n"
            + "depmod will output a dependency list suitable for the modprobe utility.\n\n"
            + "Options:\n"
            + "\t-a, --all            Probe all modules\n"
            + "\t-A, --quick          Only does the work if there's a new module\n"
            + "\t-e, --errsyms        Report not supplied symbols\n"
            + "\t-n, --show           Write the dependency file on stdout only\n"
            + "\t-V, --version        Print the release version\n"
            + "\t-v, --verbose        Enable verbose mode\n"
            + "\t-h, --help           Print this help\n";

    /** Directories below the module directory that are not modules (kernel sources). */
    private static final List<String> SKIP = List.of("build", "source");

    public DepmodTool(Syscalls sys, PrintStream out, PrintStream err) {
        super(sys, out, err, "depmod", Log.LOG_WARNING);
    }

    @Override
    void run(String... args) {
        Getopt.Result r = options(OPTS, HELP, args);
        if (r == null) {
            return;
        }
        for (String unsupported : List.of("b", "C", "E", "F", "P")) {
            if (r.has(unsupported)) {
                log.err("option -" + unsupported + " is not supported: the model has one root and no System.map");
                log.exit(1);
                return;
            }
        }
        List<String> operands = new ArrayList<>(r.operands());
        String release = sys.kernelRelease();
        if (!operands.isEmpty() && isVersionNumber(operands.get(0))) {
            release = operands.remove(0);
        }
        String outdir = r.has("o") ? absolute(r.last("o")).replaceAll("/+$", "") : "";
        int status = r.has("A") && operands.isEmpty() && !r.has("n") && outdir.isEmpty() && upToDate(release) ? 0
                : depmod(release, operands, r.has("n"), r.has("e"), outdir);
        out.flush();
        log.exit(status);
    }

    /** kmod's is_version_number(): "MAJOR.MINOR" at the start. */
    static boolean isVersionNumber(String s) {
        return s.matches("\\d+\\.\\d+.*");
    }

    /** Runs depmod for a release; returns the exit status. Used by the command and at boot. */
    public int depmod(String release, List<String> files, boolean dryRun, boolean errsyms) {
        return depmod(release, files, dryRun, errsyms, "");
    }

    /** As {@link #depmod(String, List, boolean, boolean)}, writing below {@code outdir} (-o) when it is not empty. */
    int depmod(String release, List<String> files, boolean dryRun, boolean errsyms, String outdir) {
        String dirname = "/lib/modules/" + release;
        DepmodConfig cfg = DepmodConfig.read(sys, release);
        for (String e : cfg.errors) {
            log.err(e);
        }
        List<Depmod.Module> modules = new ArrayList<>();
        try {
            sys.list(dirname);
        } catch (ErrnoException e) {
            log.err("could not open directory " + dirname + ": " + e.strerror());
            return 1;
        }
        List<String> relpaths = new ArrayList<>();
        if (files.isEmpty()) {
            scan(dirname, "", relpaths);
            for (String ext : cfg.externals) {
                scanExternal(ext, relpaths);
            }
            relpaths = byPriority(cfg, release, relpaths);
        } else {
            for (String f : files) {
                String abs = absolute(f);
                relpaths.add(abs.startsWith(dirname + "/") ? abs.substring(dirname.length() + 1) : abs);
            }
        }
        for (String rel : order(dirname, relpaths)) {
            String abs = rel.startsWith("/") ? rel : dirname + "/" + rel;
            try {
                ModuleInfo info = ModuleInfo.read(sys.readBytes(abs));
                String fileName = ModName.fromPath(rel);
                if (fileName != null && !fileName.equals(info.name())) {
                    // depmod names a module after its file (path_to_modname), whatever .modinfo says
                    info = new ModuleInfo(fileName, info.license(), info.description(), info.author(),
                            info.version(), info.vermagic(), info.aliases(), info.imports(),
                            info.importNamespaces(), info.softdep(), info.exports(), info.params(), info.weakdep());
                }
                modules.add(new Depmod.Module(rel, info));
            } catch (ErrnoException e) {
                log.err("could not open " + abs + ": " + Errno.ENOENT.strerror());
            } catch (ModuleInfo.NotAModule e) {
                // the file keeps its place in modules.dep with nothing known about it, as an ELF without symbols would
                log.err("failed to load symbols from " + abs + ": " + Errno.ENOEXEC.strerror());
                modules.add(new Depmod.Module(rel, new ModuleInfo(ModName.fromPath(rel), "", "", "", "", "",
                        List.of(), List.of(), List.of(), "", List.of(), List.of())));
            }
        }
        Depmod d;
        try {
            d = new Depmod(modules, cfg.symbolOwner);
        } catch (Depmod.CycleError e) {
            for (String line : e.lines()) {
                log.err(line);
            }
            return 1;
        }
        if (errsyms) {
            for (String w : d.unknownSymbolWarnings(dirname)) {
                log.warn(w);
            }
        }
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("modules.dep", d.modulesDep());
        outputs.put("modules.alias", d.modulesAlias());
        outputs.put("modules.softdep", d.modulesSoftdep());
        outputs.put("modules.weakdep", d.modulesWeakdep());
        outputs.put("modules.symbols", d.modulesSymbols());
        outputs.put("modules.devname", d.modulesDevname());
        if (!dryRun && !outdir.isEmpty()) {
            // mkdir_p of OUTDIR/lib/modules/VERSION: mkdir(2) of each component, an existing one is fine
            String dir = "";
            for (String part : (outdir + dirname).split("/")) {
                if (part.isEmpty()) {
                    continue;
                }
                dir += "/" + part;
                try {
                    sys.mkdir(dir);
                } catch (ErrnoException e) {
                    if (e.errno() != Errno.EEXIST.value()) {
                        log.err("could not create directory " + outdir + dirname + ": " + e.strerror());
                        return 1;
                    }
                }
            }
        }
        for (Map.Entry<String, String> o : outputs.entrySet()) {
            if (dryRun) {
                out.print(o.getValue());
                continue;
            }
            try {
                sys.write(outdir + dirname + "/" + o.getKey(), o.getValue());
            } catch (ErrnoException e) {
                log.err("could not open " + o.getKey() + " for writing: " + e.strerror());
                return 1;
            }
        }
        return 0;
    }

    /**
     * depfile_up_to_date(): modules.dep exists and no module file below the directory is
     * newer (by stat's modification time) than it, so {@code depmod -A} has nothing to do.
     */
    boolean upToDate(String release) {
        String dirname = "/lib/modules/" + release;
        Stat dep;
        try {
            dep = sys.stat(dirname + "/modules.dep");
        } catch (ErrnoException e) {
            return false;
        }
        List<String> relpaths = new ArrayList<>();
        scan(dirname, "", relpaths);
        for (String rel : relpaths) {
            try {
                if (sys.stat(dirname + "/" + rel).modifiedNanos() > dep.modifiedNanos()) {
                    return false;
                }
            } catch (ErrnoException e) {
                return false;
            }
        }
        return true;
    }

    /**
     * depmod -A for a release, as run at boot (the indexes are written again only when a
     * module file is newer than modules.dep); failures are on the log's stderr.
     */
    public int depmodAndReport(String release) {
        int status = upToDate(release) ? 0 : depmod(release, List.of(), false, false);
        try {
            log.exit(status);
        } catch (org.kvmosgi.console.api.CommandFailure f) {
            // the lines are on stderr already but for the last one
            if (!f.getMessage().isEmpty()) {
                log.raw(f.getMessage());
                log.exit(0);
            }
        }
        return status;
    }

    /** Every module file below the directory, relative paths, sorted (the model's readdir order). */
    private void scan(String dirname, String rel, List<String> into) {
        List<String> names;
        try {
            names = sys.list(rel.isEmpty() ? dirname : dirname + "/" + rel);
        } catch (ErrnoException e) {
            return;
        }
        for (String n : names) {
            String child = rel.isEmpty() ? n : rel + "/" + n;
            if (rel.isEmpty() && SKIP.contains(n)) {
                continue;
            }
            if (ModName.isModuleFileName(n)) {
                into.add(child);
            } else if (!n.startsWith("modules.")) {
                scan(dirname, child, into);
            }
        }
    }

    /** An external directory's module files, by absolute path (depmod_modules_search_path for externals). */
    private void scanExternal(String dir, List<String> into) {
        List<String> names;
        try {
            names = sys.list(dir);
        } catch (ErrnoException e) {
            return;
        }
        for (String n : names) {
            String child = dir + "/" + n;
            if (ModName.isModuleFileName(n)) {
                into.add(child);
            } else {
                scanExternal(child, into);
            }
        }
    }

    /**
     * depmod_module_add() during the walk: of two files of one module name the one with
     * the higher depmod.d priority stays (search, override, external), in walk order.
     */
    private static List<String> byPriority(DepmodConfig cfg, String release, List<String> relpaths) {
        Map<String, String> chosen = new LinkedHashMap<>();
        for (String rel : relpaths) {
            String name = ModName.fromPath(rel);
            String old = chosen.get(name);
            if (old == null || cfg.higherPriority(name, release, old, rel)) {
                chosen.remove(name);
                chosen.put(name, rel);
            }
        }
        return new ArrayList<>(chosen.values());
    }

    /**
     * depmod_modules_build_array() + depmod_modules_sort(): the modules in depmod's hash
     * order (by name, see {@link KmodHash}), then modules.order's modules first in its
     * order; the others keep hash order after them (equal keys in glibc's stable qsort).
     */
    private List<String> order(String dirname, List<String> relpaths) {
        List<String> hashed = new ArrayList<>(relpaths);
        hashed.sort(java.util.Comparator.comparingInt((String p) -> KmodHash.bucket(ModName.anyPathToModname(p), 512))
                .thenComparing(p -> ModName.anyPathToModname(p)));
        String order = null;
        try {
            order = sys.read(dirname + "/modules.order");
        } catch (ErrnoException e) {
            return hashed; // no modules.order: no sort at all
        }
        List<String> out = new ArrayList<>();
        java.util.Set<String> remaining = new java.util.LinkedHashSet<>(hashed);
        for (String line : order.split("\n")) {
            String p = line.strip();
            if (remaining.remove(p)) {
                out.add(p);
            }
        }
        out.addAll(remaining);
        return out;
    }
}
