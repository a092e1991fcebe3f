package org.kvmosgi.diag.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.kvmosgi.kernel.api.Errno;

/**
 * Modules and who uses whom, with the symbols each use rests on: either what the kernel
 * holds now (/proc/modules, plus the modules whose last load failed), or every module
 * file of the module directory with modules.dep's dependencies.
 *
 * @param title what the graph shows
 * @param nodes by module name, sorted
 * @param edges user to used module, sorted
 */
public record ModuleGraph(String title, Map<String, Node> nodes, List<Edge> edges) {
    /** What a node's module is now. */
    public enum State { LIVE, COMING, GOING, FAILED, NOT_LOADED }

    /**
     * @param note what failed ({@code -ENOMEM at kvm_intel:hardware_setup}), empty otherwise
     */
    public record Node(String name, State state, boolean permanent, int refcnt, String note) {}

    /** {@code user} links against {@code used}: the symbols it takes from it. */
    public record Edge(String user, String used, List<String> symbols) {
        public Edge {
            symbols = List.copyOf(symbols);
        }
    }

    public ModuleGraph {
        nodes = java.util.Collections.unmodifiableMap(new TreeMap<>(nodes));
        edges = edges.stream().sorted(java.util.Comparator.comparing(Edge::user).thenComparing(Edge::used)).toList();
    }

    /** The modules the kernel holds, their holders as edges, and the ones whose last load failed. */
    public static ModuleGraph loaded(Snapshot s) {
        Map<String, Node> nodes = new LinkedHashMap<>();
        for (Loaded l : s.loaded()) {
            nodes.put(l.name(), new Node(l.name(), state(l.state()), l.permanent(), l.refcnt(), ""));
        }
        addFailed(s, nodes);
        List<Edge> edges = new ArrayList<>();
        for (Loaded l : s.loaded()) {
            for (String h : l.holders()) {
                edges.add(new Edge(h, l.name(), symbols(s, h, l.name())));
            }
        }
        // a failed module's imports, towards the modules present that export them
        for (Node n : nodes.values()) {
            if (n.state() == State.FAILED) {
                edgesByImports(s, n.name(), nodes, edges);
            }
        }
        return new ModuleGraph("loaded modules (" + s.host() + ")", nodes, edges);
    }

    /**
     * Every module file below the module directory; an edge for each dependency modules.dep
     * lists that the user links against directly (modules.dep also lists the dependencies'
     * own ones).
     */
    public static ModuleGraph feature(Snapshot s, String modulesDep) {
        Map<String, String> byPath = new LinkedHashMap<>();
        for (ModuleFile f : s.files().values()) {
            byPath.put(f.path().substring(s.moduleDir().length() + 1), f.name());
        }
        Map<String, Node> nodes = new LinkedHashMap<>();
        for (ModuleFile f : s.files().values()) {
            Optional<Loaded> l = s.loaded(f.name());
            nodes.put(f.name(), l.map(x -> new Node(x.name(), state(x.state()), x.permanent(), x.refcnt(), ""))
                    .orElse(new Node(f.name(), State.NOT_LOADED, false, 0, "")));
        }
        addFailed(s, nodes);
        List<Edge> edges = new ArrayList<>();
        for (String line : modulesDep.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String user = byPath.get(line.substring(0, colon).trim());
            if (user == null) {
                continue;
            }
            for (String dep : line.substring(colon + 1).trim().split("\\s+")) {
                String used = byPath.get(dep);
                if (used != null) {
                    List<String> syms = symbols(s, user, used);
                    if (!syms.isEmpty()) {
                        edges.add(new Edge(user, used, syms));
                    }
                }
            }
        }
        return new ModuleGraph("modules.dep of " + s.moduleDir() + " (" + s.host() + ")", nodes, edges);
    }

    private static void addFailed(Snapshot s, Map<String, Node> nodes) {
        for (Attempt a : s.history().values()) {
            if (a.failed() && s.loaded(a.module()).isEmpty()) {
                Errno e = Errno.of(-a.ret());
                String err = e == null ? String.valueOf(a.ret()) : "-" + e.name();
                nodes.put(a.module(), new Node(a.module(), State.FAILED, false, 0,
                        a.step() == null ? err : err + " at " + a.step()));
            }
        }
    }

    private static void edgesByImports(Snapshot s, String user, Map<String, Node> nodes, List<Edge> edges) {
        Map<String, List<String>> byExporter = new TreeMap<>();
        s.file(user).ifPresent(f -> f.imports().forEach(sym -> s.exporterOf(sym).ifPresent(
                ex -> byExporter.computeIfAbsent(ex.name(), k -> new ArrayList<>()).add(sym))));
        byExporter.forEach((used, syms) -> {
            if (nodes.containsKey(used) && !used.equals(user)) {
                edges.add(new Edge(user, used, syms));
            }
        });
    }

    /** The symbols {@code user}'s file imports that {@code used}'s file exports, in import order. */
    static List<String> symbols(Snapshot s, String user, String used) {
        List<String> exports = s.file(used).map(ModuleFile::exports).orElse(List.of());
        return s.file(user).map(f -> f.imports().stream().filter(exports::contains).toList()).orElse(List.of());
    }

    private static State state(String procState) {
        return switch (procState) {
            case "Loading" -> State.COMING;
            case "Unloading" -> State.GOING;
            default -> State.LIVE;
        };
    }
}
