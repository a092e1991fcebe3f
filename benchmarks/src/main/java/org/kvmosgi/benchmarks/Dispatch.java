package org.kvmosgi.benchmarks;

/**
 * The dispatch styles this build of the modules has. Today kvm.ko calls its vendor only
 * through the ops table; the patched call sites (static_call) and the direct calls of
 * the monolithic layout are added here as the modules gain them.
 */
final class Dispatch {
    static final String OPS = "ops";

    static void require(String style) {
        if (!OPS.equals(style)) {
            throw new IllegalArgumentException("dispatch style " + style + " is not in this build (have: " + OPS + ")");
        }
    }

    private Dispatch() {}
}
