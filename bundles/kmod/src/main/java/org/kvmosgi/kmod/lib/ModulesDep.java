package org.kvmosgi.kmod.lib;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * modules.dep as written by depmod and read by libkmod: {@code path: dep dep...}, paths
 * relative to the module directory, the dependencies of a module listed closest first
 * (a module before the ones it uses). libkmod reverses them when it reads a line
 * (kmod_module_parse_depline prepends), so they load deepest first.
 */
public final class ModulesDep {
    /** One line: the module's path and its dependencies' paths as written in the file. */
    public record Entry(String name, String path, List<String> deps) {}

    private final Map<String, Entry> byName = new LinkedHashMap<>();

    public static ModulesDep parse(String text) {
        ModulesDep d = new ModulesDep();
        for (String line : text.split("\n")) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String path = line.substring(0, colon).strip();
            String name = ModName.fromPath(path);
            if (name == null) {
                continue;
            }
            List<String> deps = new ArrayList<>();
            for (String dep : line.substring(colon + 1).strip().split("[ \t]+")) {
                if (!dep.isEmpty()) {
                    deps.add(dep);
                }
            }
            // the first line for a name wins, as the index's first insert does
            d.byName.putIfAbsent(name, new Entry(name, path, List.copyOf(deps)));
        }
        return d;
    }

    public Entry get(String name) {
        return byName.get(name);
    }

    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    public List<Entry> entries() {
        return List.copyOf(byName.values());
    }

    /** The module names of a line's dependencies in libkmod's order: deepest first. */
    public List<String> loadOrderDeps(String name) {
        Entry e = byName.get(name);
        if (e == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String p : e.deps()) {
            out.add(0, ModName.fromPath(p));
        }
        return out;
    }
}
