package org.kvmosgi.console.api;

/**
 * SIGINT for a command that handles it itself, as a VMM's handler kicks its vCPU threads
 * out of KVM_RUN: while the command runs, it keeps a {@link Runnable} in the session
 * variable {@value #HANDLER}; Ctrl-C runs it instead of cancelling the command's job, and
 * the command ends by itself and says how.
 */
public final class Sigint {
    /** The session variable holding the running command's handler. */
    public static final String HANDLER = "kvmsh.sigint";

    private Sigint() {
    }
}
