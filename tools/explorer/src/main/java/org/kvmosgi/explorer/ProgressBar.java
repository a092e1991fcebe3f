package org.kvmosgi.explorer;

import java.io.PrintStream;

/**
 * The progress bar on stderr: redrawn in place on a terminal, one line per depth level
 * otherwise (a log file gets no carriage returns).
 */
final class ProgressBar implements Explorer.Progress {
    private static final int WIDTH = 30;
    private final PrintStream err;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private volatile int depth;
    private volatile int total;
    private long lastDraw;

    ProgressBar(PrintStream err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    @Override
    public synchronized void level(int depth, int total) {
        if (this.depth > 0 && terminal) {
            err.println();
        }
        this.depth = depth;
        this.total = total;
        if (!terminal) {
            err.println("explore: depth " + depth + ": " + total + " sequences to run");
        }
    }

    @Override
    public synchronized void done(int finished, int violations) {
        long now = System.nanoTime();
        if (!terminal || (now - lastDraw < 100_000_000L && finished < total)) {
            return;
        }
        lastDraw = now;
        err.print("\r" + line(depth, finished, total, violations, (now - start) / 1e9));
        err.flush();
    }

    synchronized void finish() {
        if (terminal && depth > 0) {
            err.println();
        }
    }

    /** {@code depth 2 [#########---------]  123/456 sequences, 3 violations, 12.5 s}. */
    static String line(int depth, int finished, int total, int violations, double seconds) {
        int filled = total == 0 ? WIDTH : (int) ((long) finished * WIDTH / total);
        return String.format("depth %d [%s%s] %d/%d sequences, %d violations, %.1f s", depth, "#".repeat(filled),
                "-".repeat(WIDTH - filled), finished, total, violations, seconds);
    }
}
