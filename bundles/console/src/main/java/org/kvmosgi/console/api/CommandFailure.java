package org.kvmosgi.console.api;

/**
 * A command failed the way its real tool fails: the message is the complete line the
 * tool prints on stderr (e.g. {@code modprobe: FATAL: Module x not found in directory
 * /lib/modules/6.13.0-kvmosgi}) and the status is its exit code. The console prints the
 * message alone, never a stack trace, and the command's status becomes non-zero.
 */
public class CommandFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public CommandFailure(String message) {
        this(message, 1);
    }

    public CommandFailure(String message, int status) {
        super(message, null, false, false);
        this.status = status;
    }

    /** The exit status (non-zero). */
    public int status() {
        return status;
    }
}
