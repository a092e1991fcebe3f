package org.kvmosgi.diag.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.kvmosgi.diag.model.ModuleGraph.Edge;
import org.kvmosgi.diag.model.ModuleGraph.Node;
import org.kvmosgi.diag.model.ModuleGraph.State;

/**
 * A {@link ModuleGraph} as Graphviz DOT (for {@code dot -Tpng} and friends) or as SVG
 * laid out here in rows: the modules that use nothing on top, each user below what it
 * uses, an arrow from user to used labelled with the symbols.
 */
public final class ModuleGraphPrinter {
    static final int CHAR = 7;
    static final int LINE = 15;
    static final int GAP_X = 40;
    static final int GAP_Y = 110;
    static final int MARGIN = 20;
    /** How many symbols an SVG arrow names before "+N more" (the arrow's tooltip names them all). */
    static final int SYMBOLS_SHOWN = 3;

    static final String LEGEND = "green: live; amber: coming or going; red: its last load failed; dashed: not loaded;"
            + " double border: permanent";

    private final Consumer<String> out;

    public ModuleGraphPrinter(Consumer<String> out) {
        this.out = out;
    }

    // ------------------------------------------------------------------ DOT

    public void dot(ModuleGraph g) {
        out.accept("digraph modules {");
        out.accept("  label=" + Dot.quote(g.title()) + ";");
        out.accept("  rankdir=BT;");
        out.accept("  node [shape=box, fontname=\"monospace\"];");
        out.accept("  edge [fontname=\"monospace\", fontsize=10];");
        for (Node n : g.nodes().values()) {
            StringBuilder a = new StringBuilder("label=" + Dot.quote(String.join("\n", lines(n))));
            switch (n.state()) {
                case FAILED -> a.append(", color=\"#b03030\", style=filled, fillcolor=\"#f8d0d0\"");
                case NOT_LOADED -> a.append(", color=\"#999999\", style=dashed, fontcolor=\"#666666\"");
                case COMING, GOING -> a.append(", color=\"#b08a2e\", style=filled, fillcolor=\"#fff4d6\"");
                default -> a.append(", color=\"#3a7a3a\", style=filled, fillcolor=\"#e8f4e8\"");
            }
            if (n.permanent()) {
                a.append(", peripheries=2");
            }
            out.accept("  " + Dot.quote(n.name()) + " [" + a + "];");
        }
        for (Edge e : g.edges()) {
            out.accept("  " + Dot.quote(e.user()) + " -> " + Dot.quote(e.used()) + " [label="
                    + Dot.quote(String.join("\n", e.symbols())) + (dashed(g, e) ? ", style=dashed" : "") + "];");
        }
        out.accept("}");
    }

    // ------------------------------------------------------------------ SVG

    private record Box(double x, double y, double w, double h) {
        double cx() {
            return x + w / 2;
        }
    }

    public void svg(ModuleGraph g) {
        Map<String, Integer> rank = ranks(g);
        int rows = rank.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        List<List<Node>> byRow = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            byRow.add(new ArrayList<>());
        }
        g.nodes().values().forEach(n -> byRow.get(rank.get(n.name())).add(n));
        double width = 0;
        double[] rowWidth = new double[rows];
        double[] rowHeight = new double[rows];
        for (int r = 0; r < rows; r++) {
            for (Node n : byRow.get(r)) {
                rowWidth[r] += boxWidth(n) + GAP_X;
                rowHeight[r] = Math.max(rowHeight[r], boxHeight(n));
            }
            width = Math.max(width, rowWidth[r] - GAP_X);
        }
        // the legend is set at 10px: about 6px a character
        width = Math.max(width + 2 * MARGIN, Math.max(CHAR * g.title().length(), 6 * LEGEND.length()) + 2 * MARGIN);
        Map<String, Box> boxes = new HashMap<>();
        double y = MARGIN + 20;
        for (int r = 0; r < rows; r++) {
            double x = (width - (rowWidth[r] - GAP_X)) / 2;
            for (Node n : byRow.get(r)) {
                boxes.put(n.name(), new Box(x, y, boxWidth(n), boxHeight(n)));
                x += boxWidth(n) + GAP_X;
            }
            y += rowHeight[r] + GAP_Y;
        }
        double height = y - GAP_Y + MARGIN + 30;
        Svg svg = new Svg((int) Math.ceil(width), (int) Math.ceil(height), g.title());
        svg.open("defs").open("marker", "id", "arrow", "viewBox", "0 0 10 10", "refX", 10, "refY", 5,
                "markerWidth", 8, "markerHeight", 8, "orient", "auto")
                .element("path", null, "d", "M 0 0 L 10 5 L 0 10 z", "fill", "#444444").close().close();
        svg.element("text", g.title(), "x", MARGIN, "y", MARGIN);
        for (Edge e : g.edges()) {
            Box from = boxes.get(e.user());
            Box to = boxes.get(e.used());
            if (from == null || to == null) {
                continue;
            }
            double x1 = from.cx();
            double y1 = from.y();
            double x2 = to.cx();
            double y2 = to.y() + to.h();
            svg.open("g");
            svg.element("title", e.user() + " uses " + e.used() + ": " + String.join(", ", e.symbols()));
            svg.element("line", null, "x1", x1, "y1", y1, "x2", x2, "y2", y2, "stroke", "#444444",
                    "stroke-dasharray", dashed(g, e) ? "5,4" : "none", "marker-end", "url(#arrow)");
            List<String> label = edgeLabel(e.symbols());
            // a third of the way from the user: users sit further apart than what they share
            double lx = x1 + (x2 - x1) / 3;
            double ly = y1 + (y2 - y1) / 3 - (label.size() - 1) * LINE / 2.0;
            for (int i = 0; i < label.size(); i++) {
                svg.element("text", label.get(i), "x", lx, "y", ly + i * LINE, "text-anchor", "middle",
                        "font-size", 10, "stroke", "#ffffff", "stroke-width", 3, "paint-order", "stroke");
            }
            svg.close();
        }
        for (Node n : g.nodes().values()) {
            Box b = boxes.get(n.name());
            String[] style = style(n.state());
            svg.open("g");
            svg.element("rect", null, "x", b.x(), "y", b.y(), "width", b.w(), "height", b.h(), "fill", style[0],
                    "stroke", style[1], "stroke-dasharray", n.state() == State.NOT_LOADED ? "5,3" : "none");
            if (n.permanent()) {
                svg.element("rect", null, "x", b.x() + 3, "y", b.y() + 3, "width", b.w() - 6, "height", b.h() - 6,
                        "fill", "none", "stroke", style[1]);
            }
            List<String> lines = lines(n);
            for (int i = 0; i < lines.size(); i++) {
                svg.element("text", lines.get(i), "x", b.cx(), "y", b.y() + 17 + i * LINE, "text-anchor", "middle",
                        "font-weight", i == 0 ? "bold" : "normal");
            }
            svg.close();
        }
        svg.element("text", LEGEND, "x", MARGIN, "y", height - 12, "font-size", 10);
        svg.finish(out);
    }

    /** Rows: a module that uses nothing here is row 0, a user one row below the lowest module it uses. */
    static Map<String, Integer> ranks(ModuleGraph g) {
        Map<String, Integer> rank = new HashMap<>();
        for (String n : g.nodes().keySet()) {
            rank(g, n, rank, 0);
        }
        return rank;
    }

    private static int rank(ModuleGraph g, String n, Map<String, Integer> rank, int depth) {
        Integer known = rank.get(n);
        if (known != null) {
            return known;
        }
        int r = 0;
        if (depth < g.nodes().size()) {
            for (Edge e : g.edges()) {
                if (e.user().equals(n) && g.nodes().containsKey(e.used())) {
                    r = Math.max(r, rank(g, e.used(), rank, depth + 1) + 1);
                }
            }
        }
        rank.put(n, r);
        return r;
    }

    /** A failed module's arrows show what it would have used: dashed. */
    private static boolean dashed(ModuleGraph g, Edge e) {
        return g.nodes().get(e.user()).state() == State.FAILED;
    }

    static List<String> lines(Node n) {
        List<String> l = new ArrayList<>();
        l.add(n.name());
        l.add(switch (n.state()) {
            case LIVE -> "live, refcnt " + n.refcnt();
            case COMING -> "coming";
            case GOING -> "going";
            case FAILED -> "failed: " + n.note();
            case NOT_LOADED -> "not loaded";
        });
        if (n.permanent()) {
            l.add("[permanent]");
        }
        return l;
    }

    static List<String> edgeLabel(List<String> symbols) {
        if (symbols.size() <= SYMBOLS_SHOWN) {
            return symbols;
        }
        List<String> l = new ArrayList<>(symbols.subList(0, SYMBOLS_SHOWN));
        l.add("+" + (symbols.size() - SYMBOLS_SHOWN) + " more");
        return l;
    }

    private static double boxWidth(Node n) {
        return lines(n).stream().mapToInt(String::length).max().orElse(1) * CHAR + 20;
    }

    private static double boxHeight(Node n) {
        return lines(n).size() * LINE + 10;
    }

    private static String[] style(State s) {
        return switch (s) {
            case FAILED -> new String[] {"#f8d0d0", "#b03030"};
            case NOT_LOADED -> new String[] {"#f4f4f4", "#999999"};
            case COMING, GOING -> new String[] {"#fff4d6", "#b08a2e"};
            default -> new String[] {"#e8f4e8", "#3a7a3a"};
        };
    }
}
