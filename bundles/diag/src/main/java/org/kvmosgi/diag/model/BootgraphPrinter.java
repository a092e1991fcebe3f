package org.kvmosgi.diag.model;

import java.util.List;
import java.util.function.Consumer;

/**
 * bootgraph: an SVG timeline of the initcalls, one row each in call order, the bar from
 * the {@code calling} line's time for as long as it ran, its colour by the pid that ran
 * it and red when it failed; as Linux's scripts/bootgraph.pl draws {@code initcall_debug}.
 */
public final class BootgraphPrinter {
    static final int WIDTH = 1000;
    static final int ROW = 22;
    static final int TOP = 40;
    static final int LEFT = 10;
    static final int BAR_WIDTH = 560;
    private static final String[] PID_COLOURS = {"#6a9fd4", "#7fbf7f", "#d9b25f", "#b38fd1", "#6fc4c4"};
    private static final String FAILED = "#d45f5f";

    private final Consumer<String> out;

    public BootgraphPrinter(Consumer<String> out) {
        this.out = out;
    }

    public void print(List<Initcall> calls, String title) {
        long first = calls.stream().mapToLong(Initcall::startMicros).min().orElse(0);
        long last = calls.stream().mapToLong(Initcall::endMicros).max().orElse(first);
        long span = Math.max(1, last - first);
        double scale = (double) BAR_WIDTH / span;
        int height = TOP + calls.size() * ROW + 30;
        Svg svg = new Svg(WIDTH, height, title);
        svg.element("text", title + ": " + calls.size() + " initcalls in " + span + " usecs", "x", LEFT, "y", 18);
        axis(svg, first, span, scale, height);
        List<Long> pids = calls.stream().map(Initcall::pid).distinct().toList();
        for (int i = 0; i < calls.size(); i++) {
            Initcall c = calls.get(i);
            double x = LEFT + (c.startMicros() - first) * scale;
            double w = Math.max(1.0, c.usecs() * scale);
            int y = TOP + i * ROW;
            String fill = c.failed() ? FAILED : PID_COLOURS[pids.indexOf(c.pid()) % PID_COLOURS.length];
            svg.open("g");
            svg.element("title", c.label() + " @ " + c.pid() + " returned " + c.ret() + " after " + c.usecs()
                    + " usecs");
            svg.element("rect", null, "x", x, "y", y, "width", w, "height", ROW - 6, "fill", fill);
            svg.element("text", c.label() + (c.failed() ? " returned " + c.ret() : "") + " " + c.usecs() + " usecs",
                    "x", x + w + 4, "y", y + ROW - 10);
            svg.close();
        }
        svg.finish(out);
    }

    /** Ticks at a round interval: ten or fewer across the bars, labelled in ms since the first call. */
    private static void axis(Svg svg, long first, long span, double scale, int height) {
        long step = 1;
        for (long decade = 1; span / step > 10; decade *= 10) {
            for (long m : new long[] {1, 2, 5}) {
                step = m * decade;
                if (span / step <= 10) {
                    break;
                }
            }
        }
        svg.open("g", "stroke", "#cccccc");
        for (long t = 0; t <= span; t += step) {
            double x = LEFT + t * scale;
            svg.element("line", null, "x1", x, "y1", TOP - 6, "x2", x, "y2", height - 24);
        }
        svg.close();
        for (long t = 0; t <= span; t += step) {
            svg.element("text", java.math.BigDecimal.valueOf(t, 3).stripTrailingZeros().toPlainString() + " ms", "x", LEFT + t * scale, "y", height - 10,
                    "font-size", 10);
        }
    }
}
