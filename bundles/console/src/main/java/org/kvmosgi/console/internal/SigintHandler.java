package org.kvmosgi.console.internal;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGINT for the modes without a line editor ({@code -c}, a script): the JVM's default
 * would run the shutdown hooks and end the process in the middle of a command. Installed
 * through sun.misc.Signal, which JLine's terminals use for the interactive shell.
 */
final class SigintHandler implements AutoCloseable {
    private static final Signal INT = new Signal("INT");
    private final SignalHandler previous;

    private SigintHandler(SignalHandler previous) {
        this.previous = previous;
    }

    /** Handles SIGINT with {@code handler} until closed; null when the JVM keeps the signal (-Xrs). */
    static SigintHandler handle(Runnable handler) {
        try {
            return new SigintHandler(Signal.handle(INT, s -> handler.run()));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public void close() {
        Signal.handle(INT, previous);
    }
}
