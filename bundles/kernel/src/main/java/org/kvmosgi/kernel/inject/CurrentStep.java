package org.kvmosgi.kernel.inject;

/**
 * The step the current thread is in ({@code kvm_hv:radix_init}, {@code loader:parse_args}),
 * so that a resource taken now can be charged to it, as kmemleak's backtrace would show.
 */
public final class CurrentStep {
    private static final ThreadLocal<String> STEP = new ThreadLocal<>();

    private CurrentStep() {}

    public static String get() {
        String s = STEP.get();
        return s == null ? "(no step)" : s;
    }

    /** Enters a step; returns the one to restore. */
    public static String enter(String step) {
        String old = STEP.get();
        STEP.set(step);
        return old;
    }

    public static void restore(String old) {
        if (old == null) {
            STEP.remove();
        } else {
            STEP.set(old);
        }
    }
}
