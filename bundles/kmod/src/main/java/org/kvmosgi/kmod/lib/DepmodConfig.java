package org.kvmosgi.kmod.lib;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.syscall.Syscalls;

/**
 * depmod.d (tools/depmod.c, cfg_load): {@code search}, {@code override} and
 * {@code external} as kmod reads them, files in name order across the configuration
 * directories (an earlier directory hides a namesake), and the model's own
 * {@code symbol_owner first|last}. Bad lines are collected as depmod words them.
 */
public final class DepmodConfig {
    /** Where depmod reads its configuration, in priority order. */
    public static final List<String> DIRS = List.of("/etc/depmod.d", "/run/depmod.d", "/usr/local/lib/depmod.d",
            "/usr/lib/depmod.d", "/lib/depmod.d");
    /** The search keyword for the release's own tree (everything no other entry matches). */
    public static final String BUILTIN = "built-in";
    /** The search keyword for the external directories. */
    public static final String EXTERNAL = "external";

    /** override MODULE KERNELVERSION SUBDIR. */
    public record Override(String modname, String kver, String subdir) {}

    /** search entries, highest priority first: subdirectories, {@value #BUILTIN}, {@value #EXTERNAL}. */
    public final List<String> searches = new ArrayList<>();
    public final List<Override> overrides = new ArrayList<>();
    /** external directories for this release, in file order. */
    public final List<String> externals = new ArrayList<>();
    public Depmod.SymbolOwner symbolOwner = Depmod.SymbolOwner.LAST;
    /** "FILE:N: ignoring bad line starting with 'CMD'" lines (cfg_file_parse's syntax_error). */
    public final List<String> errors = new ArrayList<>();

    /** Reads every depmod.d file for a release. */
    public static DepmodConfig read(Syscalls sys, String release) {
        DepmodConfig c = new DepmodConfig();
        Map<String, String> files = new TreeMap<>();
        for (String dir : DIRS) {
            List<String> names;
            try {
                names = sys.list(dir);
            } catch (ErrnoException e) {
                continue;
            }
            for (String fn : names) {
                if (fn.endsWith(".conf") && !fn.startsWith(".")) {
                    files.putIfAbsent(fn, dir + "/" + fn);
                }
            }
        }
        for (String path : files.values()) {
            try {
                c.parse(path, sys.read(path), release);
            } catch (ErrnoException e) {
                // unreadable: skipped, as depmod skips it
            }
        }
        if (c.searches.isEmpty()) {
            // depmod's default: "search updates built-in"
            c.searches.add("updates");
        }
        if (!c.searches.contains(BUILTIN)) {
            c.searches.add(BUILTIN);
        }
        return c;
    }

    void parse(String path, String text, String release) {
        int lineno = 0;
        for (String raw : text.split("\n")) {
            lineno++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] w = line.split("\\s+");
            boolean ok = switch (w[0]) {
                case "search" -> {
                    for (int i = 1; i < w.length; i++) {
                        searches.add(w[i]);
                    }
                    yield w.length > 1;
                }
                case "override" -> {
                    if (w.length == 4) {
                        overrides.add(new Override(ModName.normalize(w[1]), w[2], w[3]));
                    }
                    yield w.length == 4;
                }
                case "external" -> {
                    if (w.length == 3 && versionMatches(w[1], release)) {
                        externals.add(w[2]);
                    }
                    yield w.length == 3;
                }
                case "symbol_owner" -> {
                    if (w.length == 2 && w[1].equals("first")) {
                        symbolOwner = Depmod.SymbolOwner.FIRST;
                    } else if (w.length == 2 && w[1].equals("last")) {
                        symbolOwner = Depmod.SymbolOwner.LAST;
                    }
                    yield w.length == 2 && (w[1].equals("first") || w[1].equals("last"));
                }
                // accepted, not applied: exclude (the model's walk skips only build/ and source/);
                // include and make_map_files, which kmod does not implement either
                case "exclude", "include", "make_map_files" -> true;
                default -> false;
            };
            if (!ok) {
                errors.add(path + ":" + lineno + ": ignoring bad line starting with '" + w[0] + "'");
            }
        }
    }

    /** external's kernel version: "*" or a regular expression matched against the whole release. */
    private static boolean versionMatches(String pattern, String release) {
        if (pattern.equals("*")) {
            return true;
        }
        try {
            return Pattern.matches(pattern, release);
        } catch (PatternSyntaxException e) {
            return false;
        }
    }

    /**
     * depmod_module_is_higher_priority(): whether a module file found later replaces the one
     * of the same name found before. An override for the module and release wins outright;
     * otherwise each file's priority is the index of the search entry naming its directory
     * (a subdirectory of the module directory, or an external directory), else that of
     * {@value #BUILTIN}; the later file wins a tie.
     *
     * @param oldRel, newRel paths relative to the module directory, or absolute for external ones
     */
    public boolean higherPriority(String modname, String release, String oldRel, String newRel) {
        for (Override o : overrides) {
            if (!o.modname().equals(modname) || !(o.kver().equals("*") || o.kver().equals(release))) {
                continue;
            }
            if (dir(newRel).equals(o.subdir())) {
                return true;
            }
            if (dir(oldRel).equals(o.subdir())) {
                return false;
            }
        }
        return priority(newRel) <= priority(oldRel);
    }

    private int priority(String rel) {
        String d = dir(rel);
        int builtin = searches.indexOf(BUILTIN);
        for (int i = 0; i < searches.size(); i++) {
            String s = searches.get(i);
            if (s.equals(EXTERNAL)) {
                if (rel.startsWith("/") && externals.contains(d)) {
                    return i;
                }
            } else if (!s.equals(BUILTIN) && d.equals(s)) {
                return i;
            }
        }
        // external directories rank as "external" when searched, else last
        return rel.startsWith("/") ? searches.size() : builtin;
    }

    private static String dir(String rel) {
        int slash = rel.lastIndexOf('/');
        return slash < 0 ? "" : rel.substring(0, slash);
    }
}
