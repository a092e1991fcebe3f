package org.kvmosgi.kmod.lib;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kvmosgi.kernel.api.modinfo.ModuleInfo;

/**
 * depmod's calculation (tools/depmod.c): a symbol table filled in module order where a
 * later exporter replaces an earlier one (hash replace, no warning; or, with the
 * model's {@link SymbolOwner#FIRST}, the first in modules.order keeps it), each module's
 * dependencies from the owners of its imported symbols, a topological sort that places
 * users before what they use, and the text indexes written from it.
 */
public final class Depmod {
    /** A module file: its path relative to the module directory and its .modinfo. */
    public record Module(String relpath, ModuleInfo info) {}

    /** depmod found modules in dependency cycles: the lines it prints, in order. */
    public static final class CycleError extends Exception {
        private static final long serialVersionUID = 1L;
        private final List<String> lines;

        CycleError(List<String> lines) {
            super(String.join("\n", lines), null, false, false);
            this.lines = List.copyOf(lines);
        }

        /** Without the "depmod: ERROR: " prefix. */
        public List<String> lines() {
            return lines;
        }
    }

    /**
     * Who owns a symbol two modules export. kmod: the last in module order (hash_add
     * replaces). The model's depmod.d directive {@code symbol_owner first} gives it to the
     * first in modules.order instead, the exporter modpost records in {@code depends=}
     * (Masahiro Yamada's rule).
     */
    public enum SymbolOwner {
        LAST, FIRST
    }

    private final List<Module> modules;
    /** symbol -> index of the owner in {@link #modules}; iteration is first-insertion order. */
    private final Map<String, Integer> symbols = new LinkedHashMap<>();
    private final List<List<Integer>> deps = new ArrayList<>();
    private final int[] depSortIdx;
    /** Unknown symbols per module, for {@code depmod -e}. */
    private final Map<Integer, List<String>> unknown = new LinkedHashMap<>();

    /**
     * @param ordered the module files in depmod's module order (modules.order first, the
     *        rest after); two files of one module name: the one in updates/ wins, else the first
     */
    public Depmod(List<Module> ordered) throws CycleError {
        this(ordered, SymbolOwner.LAST);
    }

    /** As {@link #Depmod(List)}, with the rule for a symbol two modules export. */
    public Depmod(List<Module> ordered, SymbolOwner rule) throws CycleError {
        List<Module> unique = new ArrayList<>();
        java.util.Map<String, Integer> at = new java.util.HashMap<>();
        for (Module m : ordered) {
            Integer prev = at.get(m.info().name());
            if (prev == null) {
                at.put(m.info().name(), unique.size());
                unique.add(m);
            } else if (m.relpath().startsWith("updates/") && !unique.get(prev).relpath().startsWith("updates/")) {
                // depmod.d's default "search updates built-in": a module in updates/ hides its namesake
                unique.set(prev, m);
            }
        }
        this.modules = List.copyOf(unique);
        int n = modules.size();
        for (int i = 0; i < n; i++) {
            for (ModuleInfo.Export e : modules.get(i).info().exports()) {
                // depmod_symbol_add: hash_add replaces, so the last exporter in module order owns the symbol
                if (rule == SymbolOwner.LAST) {
                    symbols.put(e.symbol(), i);
                } else {
                    symbols.putIfAbsent(e.symbol(), i);
                }
            }
        }
        int[] users = new int[n];
        for (int i = 0; i < n; i++) {
            List<Integer> d = new ArrayList<>();
            for (String sym : modules.get(i).info().imports()) {
                Integer owner = symbols.get(sym);
                if (owner == null) {
                    unknown.computeIfAbsent(i, k -> new ArrayList<>()).add(sym);
                    continue;
                }
                if (owner == i || d.contains(owner)) {
                    continue;
                }
                d.add(owner);
                users[owner]++;
            }
            deps.add(d);
        }
        depSortIdx = new int[n];
        topologicalSort(users);
    }

    /** depmod_calculate_dependencies(): modules nobody uses first, taken from a stack. */
    private void topologicalSort(int[] usersIn) throws CycleError {
        int n = modules.size();
        int[] users = usersIn.clone();
        int[] roots = new int[n];
        int nRoots = 0;
        for (int i = 0; i < n; i++) {
            if (users[i] == 0) {
                roots[nRoots++] = i;
            }
        }
        int sorted = 0;
        while (nRoots > 0) {
            int src = roots[--nRoots];
            depSortIdx[src] = sorted++;
            for (int dst : deps.get(src)) {
                if (--users[dst] == 0) {
                    roots[nRoots++] = dst;
                }
            }
        }
        if (sorted < n) {
            throw new CycleError(reportCycles(users));
        }
    }

    /** A step of the cycle search: a module and the step it was reached from. */
    private record Vertex(int mod, Vertex parent) {}

    /**
     * depmod_report_cycles() as kmod 34 does it: every module still used after the sort is
     * a root, taken in module order; a depth-first walk from a root (last dependency first)
     * reports a cycle each time it comes back to the root, and the modules on it leave the
     * list of roots. A root already walked through comes back as a one-module "cycle", which
     * depmod prints too; the count is of the modules on reported paths.
     */
    private List<String> reportCycles(int[] users) {
        int n = modules.size();
        List<String> lines = new ArrayList<>();
        java.util.LinkedList<Integer> roots = new java.util.LinkedList<>();
        for (int i = 0; i < n; i++) {
            if (users[i] > 0) {
                roots.add(i);
            }
        }
        boolean[] visited = new boolean[n];
        Set<String> loopSet = new java.util.LinkedHashSet<>();
        // depmod's stack holds as many entries as there are roots; a walk that needs more
        // would trip its assert, so stop it there instead of walking forever
        int limit = Math.max(1, roots.size()) * Math.max(1, n) * 4;
        while (!roots.isEmpty()) {
            int root = roots.removeFirst();
            java.util.ArrayDeque<Vertex> stack = new java.util.ArrayDeque<>();
            stack.push(new Vertex(root, null));
            int steps = 0;
            while (!stack.isEmpty() && steps++ < limit) {
                Vertex v = stack.pop();
                int m = v.mod();
                if (visited[m] && m == root) {
                    List<Integer> path = new ArrayList<>();
                    for (Vertex p = v.parent(); p != null; p = p.parent()) {
                        path.add(0, p.mod());
                        loopSet.add(modules.get(p.mod()).info().name());
                    }
                    StringBuilder b = new StringBuilder("Cycle detected: ");
                    for (int p : path) {
                        b.append(modules.get(p).info().name()).append(" -> ");
                        roots.remove(Integer.valueOf(p));
                    }
                    b.append(modules.get(m).info().name());
                    lines.add(b.toString());
                    continue;
                }
                visited[m] = true;
                if (deps.get(m).isEmpty()) {
                    roots.remove(Integer.valueOf(m));
                    continue;
                }
                for (int d : deps.get(m)) {
                    stack.push(new Vertex(d, v));
                }
            }
        }
        lines.add("Found " + loopSet.size() + " modules in dependency cycles!");
        return lines;
    }

    /** mod_get_all_sorted_dependencies(): every module reached, each once, sorted by topological index. */
    public List<String> sortedDependencies(int i) {
        List<Integer> all = new ArrayList<>();
        fillUnique(i, all);
        all.sort((a, b) -> Integer.compare(depSortIdx[a], depSortIdx[b]));
        List<String> out = new ArrayList<>();
        for (int d : all) {
            out.add(modules.get(d).relpath());
        }
        return out;
    }

    private void fillUnique(int i, List<Integer> acc) {
        for (int d : deps.get(i)) {
            if (acc.contains(d)) {
                continue;
            }
            acc.add(d);
            fillUnique(d, acc);
        }
    }

    public List<Module> modules() {
        return modules;
    }

    /** The module that owns a symbol after depmod's choice, or null. */
    public String symbolOwner(String symbol) {
        Integer i = symbols.get(symbol);
        return i == null ? null : modules.get(i).info().name();
    }

    /** "relpath needs unknown symbol S" lines, for {@code -e}. */
    public List<String> unknownSymbolWarnings(String dirname) {
        List<String> out = new ArrayList<>();
        unknown.forEach((i, syms) -> {
            for (String s : syms) {
                out.add(dirname + "/" + modules.get(i).relpath() + " needs unknown symbol " + s);
            }
        });
        return out;
    }

    // ------------------------------------------------------------ output

    public String modulesDep() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < modules.size(); i++) {
            b.append(modules.get(i).relpath()).append(':');
            for (String d : sortedDependencies(i)) {
                b.append(' ').append(d);
            }
            b.append('\n');
        }
        return b.toString();
    }

    public String modulesAlias() {
        StringBuilder b = new StringBuilder("# Aliases extracted from modules themselves.\n");
        for (Module m : modules) {
            for (String a : m.info().aliases()) {
                b.append("alias ").append(a).append(' ').append(m.info().name()).append('\n');
            }
        }
        return b.toString();
    }

    public String modulesSoftdep() {
        StringBuilder b = new StringBuilder("# Soft dependencies extracted from modules themselves.\n");
        for (Module m : modules) {
            if (!m.info().softdep().isBlank()) {
                b.append("softdep ").append(m.info().name()).append(' ').append(m.info().softdep()).append('\n');
            }
        }
        return b.toString();
    }

    public String modulesWeakdep() {
        StringBuilder b = new StringBuilder("# Weak dependencies extracted from modules themselves.\n");
        for (Module m : modules) {
            if (!m.info().weakdep().isBlank()) {
                b.append("weakdep ").append(m.info().name()).append(' ').append(m.info().weakdep()).append('\n');
            }
        }
        return b.toString();
    }

    public String modulesSymbols() {
        StringBuilder b = new StringBuilder("# Aliases for symbols, used by symbol_request().\n");
        symbols.forEach((sym, owner) -> b.append("alias symbol:").append(sym).append(' ')
                .append(modules.get(owner).info().name()).append('\n'));
        return b.toString();
    }

    /** modules.devname: modules with a {@code devname:} alias and a char/block major-minor alias. */
    public String modulesDevname() {
        StringBuilder b = new StringBuilder("# Device nodes to trigger on-demand module loading.\n");
        for (Module m : modules) {
            String devname = null;
            String node = null;
            for (String a : m.info().aliases()) {
                if (a.startsWith("devname:")) {
                    devname = a.substring("devname:".length());
                } else if (node == null) {
                    node = majorMinor(a, "char-major-", 'c');
                    if (node == null) {
                        node = majorMinor(a, "block-major-", 'b');
                    }
                }
            }
            if (devname != null && node != null) {
                b.append(m.info().name()).append(' ').append(devname).append(' ').append(node).append('\n');
            }
        }
        return b.toString();
    }

    private static String majorMinor(String alias, String prefix, char type) {
        if (!alias.startsWith(prefix)) {
            return null;
        }
        String[] mm = alias.substring(prefix.length()).split("-");
        if (mm.length != 2 || !mm[0].matches("\\d+") || !mm[1].matches("\\d+")) {
            return null;
        }
        return type + mm[0] + ":" + mm[1];
    }
}
