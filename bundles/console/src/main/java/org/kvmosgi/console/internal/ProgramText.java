package org.kvmosgi.console.internal;

import java.util.ArrayList;
import java.util.List;
import org.apache.felix.gogo.runtime.Parser;
import org.apache.felix.gogo.runtime.Token;

/**
 * What the console needs to know about a Gogo program before it runs it: its top-level
 * commands (so that {@code a; b} goes on after a failing {@code a}, as sh does) and
 * whether it redirects to a file.
 */
final class ProgramText {
    private ProgramText() {
    }

    /**
     * The program cut at its top-level {@code ;} and newlines; {@code &&}, {@code ||},
     * pipes and braces stay whole. A program that does not parse comes back whole, for
     * Gogo to report.
     */
    static List<String> commands(String program) {
        List<String> out = new ArrayList<>();
        Parser.Program parsed;
        try {
            parsed = new Parser(program).program();
        } catch (RuntimeException e) {
            out.add(program);
            return out;
        }
        int start = -1;
        int end = -1;
        for (Parser.Executable e : parsed.tokens()) {
            if (e instanceof Parser.Operator && (Token.eq(e, ";") || Token.eq(e, "\n"))) {
                if (start >= 0) {
                    out.add(program.substring(start, end));
                }
                start = -1;
                continue;
            }
            if (start < 0) {
                start = e.start();
            }
            end = e.start() + e.length();
        }
        if (start >= 0) {
            out.add(program.substring(start, end));
        }
        return out;
    }

    /**
     * The first file a statement redirects to or from ({@code > f}, {@code >> f},
     * {@code < f}, {@code &> f}), in closures too, or null. Gogo would open it on the
     * host's own file system, not the model's: {@code echo 0 > /sys/...} would write the
     * real /sys.
     */
    static String fileRedirection(String program) {
        try {
            return redirection(new Parser(program).program().tokens());
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String redirection(List<? extends Token> tokens) {
        for (Token t : tokens) {
            String found = null;
            if (t instanceof Parser.Statement s) {
                List<Token> r = s.redirections();
                for (int i = 0; i + 1 < r.size() && found == null; i++) {
                    String op = r.get(i).toString();
                    if (op.equals(">") || op.equals(">>") || op.equals("<") || op.equals("&>") || op.equals("&>>")) {
                        found = r.get(i + 1).toString();
                    }
                }
                if (found == null) {
                    found = redirection(s.tokens());
                }
            } else if (t instanceof Parser.Pipeline p) {
                found = redirection(p.tokens());
            } else if (t instanceof Parser.Sequence q) {
                found = redirection(q.program().tokens());
            } else if (t instanceof Parser.Closure c) {
                found = redirection(c.program().tokens());
            }
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** The session variable {@code $?} reads: Gogo has no special parameters of sh's kind. */
    static final String STATUS_VARIABLE = "kvmsh_status";

    /**
     * {@code program} with sh's {@code $?} (outside single quotes, not escaped) turned into
     * {@code $}{@value #STATUS_VARIABLE}: Gogo would take {@code $?} for a literal dollar and a
     * glob character, and globbing it finds nothing.
     */
    static String statusParameter(String program) {
        if (program.indexOf("$?") < 0) {
            return program;
        }
        StringBuilder out = new StringBuilder(program.length() + 16);
        boolean single = false;
        boolean dquote = false;
        for (int i = 0; i < program.length(); i++) {
            char c = program.charAt(i);
            if (c == '\\' && !single && i + 1 < program.length()) {
                out.append(c).append(program.charAt(++i));
                continue;
            }
            if (c == '\'' && !dquote) {
                single = !single;
            } else if (c == '"' && !single) {
                dquote = !dquote;
            } else if (c == '$' && !single && i + 1 < program.length() && program.charAt(i + 1) == '?') {
                out.append("${").append(STATUS_VARIABLE).append('}');
                i++;
                continue;
            }
            out.append(c);
        }
        return out.toString();
    }
}
