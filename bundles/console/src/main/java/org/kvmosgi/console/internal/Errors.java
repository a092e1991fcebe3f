package org.kvmosgi.console.internal;

import org.kvmosgi.console.api.CommandFailure;
import org.osgi.framework.BundleException;

/** How the console words failures: the rules of docs/CONTRACTS.md, in one place. */
final class Errors {
    private Errors() {
    }

    /** The CommandFailure behind {@code e}, however a caller wrapped it, or null. */
    static CommandFailure commandFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CommandFailure) {
                return (CommandFailure) t;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    /**
     * The line printed on stderr for a failed command: a CommandFailure's message alone,
     * anything else as Gogo's own shell prints it, {@code gogo: SimpleClassName: message}.
     */
    static String describe(Throwable e) {
        CommandFailure failure = commandFailure(e);
        if (failure != null) {
            return failure.getMessage();
        }
        return "gogo: " + e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** The exit status of a failed command (never 0). */
    static int status(Throwable e) {
        CommandFailure failure = commandFailure(e);
        if (failure != null && failure.status() != 0) {
            return failure.status();
        }
        return 1;
    }

    /**
     * Why a bundle did not start, in the words of whoever refused: the framework wraps an
     * activator's exception in "Activator start error in bundle ..."; the user wants the
     * activator's own message (e.g. the kernel's "unknown host profile 'x'; ...").
     */
    static String startFailure(Throwable e) {
        Throwable t = e;
        while (t instanceof BundleException
                && ((BundleException) t).getType() == BundleException.ACTIVATOR_ERROR
                && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof BundleException && t.getMessage() != null) {
            return t.getMessage();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
