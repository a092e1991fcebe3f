package org.kvmosgi.console.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * The words a command gets, as sh would pass them. Gogo hands a command a null for an
 * unset variable ({@code $nosuchvar}, {@code ${PATH}}) and for the bare word {@code null};
 * sh passes no word for the first. The sealed shell drops them before a command runs;
 * commands call this too, so that Gogo's raw shell ({@code --unsealed}) gets the tool's
 * own one-line error instead of a NullPointerException.
 */
public final class Words {
    private static final String[] NONE = {};

    private Words() {
    }

    /** {@code args} without its nulls; never null itself. */
    public static String[] of(String... args) {
        if (args == null) {
            return NONE;
        }
        for (String a : args) {
            if (a == null) {
                return Arrays.stream(args).filter(Objects::nonNull).toArray(String[]::new);
            }
        }
        return args;
    }
}
