package org.kvmosgi.console.internal;

/** Thrown by {@code exit}: ends the session, going through whatever the command line still held. */
final class ExitRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    ExitRequest(int status) {
        super("exit " + status, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
