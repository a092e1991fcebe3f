package org.kvmosgi.diag.model;

/**
 * Graphviz DOT's quoted string: the one place DOT text is escaped. A backslash and a
 * double quote get a backslash (DOT reads {@code \n}, {@code \l}, {@code \N} in labels
 * as escapes, so a literal one must be doubled); a newline becomes DOT's {@code \n}.
 */
final class Dot {
    private Dot() {}

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                case '\r' -> { }
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
