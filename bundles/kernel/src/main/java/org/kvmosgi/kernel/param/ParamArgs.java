package org.kvmosgi.kernel.param;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a module's argument string as the kernel's next_arg() does: whitespace
 * separates {@code name[=value]} words; double quotes may surround the value or the
 * whole word and are removed.
 */
public final class ParamArgs {
    /** One {@code name=value} (value null for a bare name). */
    public record Arg(String name, String value) {}

    private ParamArgs() {}

    public static List<Arg> split(String args) {
        List<Arg> out = new ArrayList<>();
        if (args == null) {
            return out;
        }
        int i = 0;
        int n = args.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(args.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            StringBuilder word = new StringBuilder();
            boolean inQuote = false;
            int equals = -1;
            for (; i < n; i++) {
                char c = args.charAt(i);
                if (c == '"') {
                    inQuote = !inQuote;
                    continue;
                }
                if (!inQuote && Character.isWhitespace(c)) {
                    break;
                }
                if (c == '=' && equals < 0) {
                    equals = word.length();
                }
                word.append(c);
            }
            String w = word.toString();
            out.add(equals < 0 ? new Arg(w, null) : new Arg(w.substring(0, equals), w.substring(equals + 1)));
        }
        return out;
    }
}
