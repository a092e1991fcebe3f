package org.kvmosgi.kernel.module;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Kernel taint flags (kernel/panic.c taint_flags[]), in bit order. The kernel-wide
 * value is /proc/sys/kernel/tainted; modules carry the letters that concern them.
 */
public final class Taint {
    /** The letters of bits 0..19. */
    static final String LETTERS = "PFSRMBUDAWCIOELKXTNJ";
    public static final int PROPRIETARY_MODULE = 0;
    public static final int FORCED_MODULE = 1;
    public static final int FORCED_RMMOD = 3;
    /** TAINT_DIE: an oops happened. */
    public static final int DIE = 7;
    public static final int OOT_MODULE = 12;
    public static final int UNSIGNED_MODULE = 13;

    private final AtomicLong mask = new AtomicLong();

    /** add_taint; returns whether the flag was new. */
    public boolean add(int bit) {
        long old = mask.getAndUpdate(m -> m | (1L << bit));
        return (old & (1L << bit)) == 0;
    }

    /** Forgets every taint (only the model's reset does this). */
    public void clear() {
        mask.set(0);
    }

    /** The flags as {@link #value} returned them (the explorer's undo, see {@link Checkpoint}). */
    void restore(long value) {
        mask.set(value);
    }

    public boolean test(int bit) {
        return (mask.get() & (1L << bit)) != 0;
    }

    /** /proc/sys/kernel/tainted. */
    public long value() {
        return mask.get();
    }

    public static char letter(int bit) {
        return LETTERS.charAt(bit);
    }

    /** Orders module taint letters as module_flags() prints them. */
    static String ordered(java.util.Collection<Character> letters) {
        StringBuilder sb = new StringBuilder();
        for (char c : LETTERS.toCharArray()) {
            if (letters.contains(c)) {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
