package org.kvmosgi.kernel.module;

import java.util.Arrays;
import java.util.List;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.printk.LogBuffer;

/**
 * What a step leaves in the kernel that unloading what it loaded (or loading again what
 * it unloaded, arming again what fired) does not take back: the log's records, the load
 * history, the taint flags, the oops counter and the last unloaded module. Saved at one
 * moment and put back, so that the explorer can bring the kernel back to a sequence's
 * prefix by undoing its last step instead of a reset and a replay of the whole prefix
 * ({@code /sys/kernel/debug/kvmosgi/checkpoint}: {@code save N}, {@code restore N}, in one
 * of {@value #SLOTS} slots: the explorer keeps one at a node and one at its parent). Linux has
 * nothing like it (its log is append-only, taint sticky): like the model's reset it is an
 * explorer-only operation, and the explorer proves each undo by comparing everything its
 * checks read with what they read at the prefix.
 */
public final class Checkpoint {
    private record Saved(long logSeq, long clearSeq, List<LoadHistory.Entry> history, long taint, int dies,
            String lastUnloaded) {}

    private final LogBuffer log;
    private final LoadHistory history;
    private final Taint taint;
    private final Oops oops;
    private final ModuleList modules;
    /** How many moments can be saved at once. */
    public static final int SLOTS = 4;

    private final Saved[] saved = new Saved[SLOTS];

    public Checkpoint(LogBuffer log, LoadHistory history, Taint taint, Oops oops, ModuleList modules) {
        this.log = log;
        this.history = history;
        this.taint = taint;
        this.oops = oops;
        this.modules = modules;
    }

    /**
     * Remembers the kernel's log length, load history, taint, oops count and last unloaded
     * module now, in {@code slot}: 0, or -EINVAL for a slot out of range.
     */
    public synchronized int save(int slot) {
        if (slot < 0 || slot >= SLOTS) {
            return Errno.EINVAL.neg();
        }
        saved[slot] = new Saved(log.nextSeq(), log.clearSeq(), history.all(), taint.value(), oops.dies(),
                modules.lastUnloaded());
        return 0;
    }

    /**
     * Puts back what {@link #save} remembered in {@code slot} (it stays saved, for the next
     * undo): 0, or -EINVAL when nothing is saved there or the log wrapped past a record
     * readable then.
     */
    public synchronized int restore(int slot) {
        Saved s = slot < 0 || slot >= SLOTS ? null : saved[slot];
        if (s == null || !log.truncate(s.logSeq(), s.clearSeq())) {
            return Errno.EINVAL.neg();
        }
        history.restore(s.history());
        taint.restore(s.taint());
        oops.restoreDies(s.dies());
        modules.restoreLastUnloaded(s.lastUnloaded());
        return 0;
    }

    /** Forgets every saved moment (the model's reset: no undo reaches across it). */
    public synchronized void drop() {
        Arrays.fill(saved, null);
    }
}
