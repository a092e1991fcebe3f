package org.kvmosgi.console.internal;

import java.io.IOException;
import org.apache.felix.gogo.runtime.SyntaxError;
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

    /** The Gogo syntax error behind {@code e} (Gogo wraps one that ends early in an EOFException), or null. */
    static SyntaxError syntaxError(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SyntaxError) {
                return (SyntaxError) t;
            }
        }
        return null;
    }

    private static final java.util.regex.Pattern NO_METHOD = java.util.regex.Pattern.compile("^Cannot coerce ([^(\\s]+)\\(");

    /** The command Gogo found no method of for the arguments given ("Cannot coerce NAME(...)"), or null. */
    static String wrongArguments(Throwable e) {
        if (e instanceof IllegalArgumentException && e.getMessage() != null) {
            java.util.regex.Matcher m = NO_METHOD.matcher(e.getMessage());
            if (m.find()) {
                return m.group(1);
            }
        }
        return null;
    }

    /** The pattern of Gogo's "no matches found" (a glob that matched no file), or null. */
    static String noMatch(Throwable e) {
        String prefix = "no matches found: ";
        if (e instanceof IOException && e.getMessage() != null && e.getMessage().startsWith(prefix)) {
            return e.getMessage().substring(prefix.length());
        }
        return null;
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
