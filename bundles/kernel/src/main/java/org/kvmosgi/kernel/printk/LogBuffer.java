package org.kvmosgi.kernel.printk;

import java.util.ArrayList;
import java.util.List;

/**
 * The kernel log ring buffer (printk's log_buf): a bounded sequence of records with
 * their level and time since boot. The oldest records drop out when it is full.
 * {@code dmesg -c} clears what has been read, as SYSLOG_ACTION_READ_CLEAR does.
 */
public final class LogBuffer {
    /** A printk record. */
    public record Record(long seq, long nanosSinceBoot, int level, String text) {
        /** dmesg's default line: {@code [    1.234567] text}. */
        public String format() {
            long micros = nanosSinceBoot / 1000;
            return String.format("[%5d.%06d] %s", micros / 1_000_000, micros % 1_000_000, text);
        }
    }

    private final long bootNanos;
    private final Record[] ring;
    /** Each record's dmesg line, made at its first read: syslog reads the whole buffer every time. */
    private final String[] lines;
    private long nextSeq;
    private long clearSeq;

    public LogBuffer(long bootNanos, int capacity) {
        this.bootNanos = bootNanos;
        this.ring = new Record[capacity];
        this.lines = new String[capacity];
    }

    /** Appends one record per line of {@code text}, as printk splits multi-line messages. */
    public synchronized void append(int level, String text, long nowNanos) {
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            ring[(int) (nextSeq % ring.length)] = new Record(nextSeq, nowNanos - bootNanos, level, line);
            lines[(int) (nextSeq % ring.length)] = null;
            nextSeq++;
        }
    }

    /** The records not cleared yet, oldest first; with {@code clear}, they are cleared after. */
    public synchronized List<Record> read(boolean clear) {
        long first = Math.max(clearSeq, nextSeq - ring.length);
        List<Record> out = new ArrayList<>((int) (nextSeq - first));
        for (long s = first; s < nextSeq; s++) {
            out.add(ring[(int) (s % ring.length)]);
        }
        if (clear) {
            clearSeq = nextSeq;
        }
        return out;
    }

    /** {@link #read}'s records as dmesg prints them ({@link Record#format}). */
    public synchronized List<String> lines(boolean clear) {
        long first = Math.max(clearSeq, nextSeq - ring.length);
        List<String> out = new ArrayList<>((int) (nextSeq - first));
        for (long s = first; s < nextSeq; s++) {
            int i = (int) (s % ring.length);
            if (lines[i] == null) {
                lines[i] = ring[i].format();
            }
            out.add(lines[i]);
        }
        if (clear) {
            clearSeq = nextSeq;
        }
        return out;
    }

    /** The sequence number the next record will get. */
    public synchronized long nextSeq() {
        return nextSeq;
    }

    /** The texts of the records from {@code seq} on that are still in the buffer. */
    public synchronized List<String> since(long seq) {
        List<String> out = new ArrayList<>();
        for (long s = Math.max(seq, nextSeq - ring.length); s < nextSeq; s++) {
            out.add(ring[(int) (s % ring.length)].text());
        }
        return out;
    }

    /** Where the last {@link #clear} (or read with clear) left the readable records: the first sequence number readable. */
    public synchronized long clearSeq() {
        return clearSeq;
    }

    /**
     * Drops every record from {@code seq} on, as if never printed, and makes {@code clear}
     * the clear point again: the log as it was when {@link #nextSeq} was {@code seq}. Not
     * Linux's (its log is append-only): the explorer's undo of a step, as the model's reset
     * is (see {@code Checkpoint}). False, and nothing changed, when a record readable then
     * has been overwritten since (the ring wrapped) or {@code seq} was never reached.
     */
    public synchronized boolean truncate(long seq, long clear) {
        long first = Math.max(clear, seq - ring.length);
        if (seq > nextSeq || clear > seq || first + ring.length < nextSeq) {
            return false;
        }
        nextSeq = seq;
        clearSeq = clear;
        return true;
    }

    /** SYSLOG_ACTION_CLEAR. */
    public synchronized void clear() {
        clearSeq = nextSeq;
    }
}
