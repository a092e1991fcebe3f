package org.kvmosgi.kmod.lib;

/**
 * fnmatch(3) with no flags, as libkmod calls it for aliases, softdep, install and
 * remove names: '*' and '?' match any character including '/', '[...]' is a
 * bracket expression with ranges and '!'/'^' negation, '\' quotes the next character.
 */
public final class Fnmatch {
    private Fnmatch() {}

    public static boolean matches(String pattern, String string) {
        return match(pattern, 0, string, 0);
    }

    /** Whether the string has any of fnmatch's special characters (a literal name otherwise). */
    public static boolean isPattern(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '\\') {
                return true;
            }
        }
        return false;
    }

    private static boolean match(String p, int pi, String s, int si) {
        while (pi < p.length()) {
            char c = p.charAt(pi);
            switch (c) {
                case '*': {
                    // collapse runs of '*', then try every split point
                    while (pi < p.length() && p.charAt(pi) == '*') {
                        pi++;
                    }
                    if (pi == p.length()) {
                        return true;
                    }
                    for (int k = si; k <= s.length(); k++) {
                        if (match(p, pi, s, k)) {
                            return true;
                        }
                    }
                    return false;
                }
                case '?':
                    if (si >= s.length()) {
                        return false;
                    }
                    pi++;
                    si++;
                    break;
                case '[': {
                    if (si >= s.length()) {
                        return false;
                    }
                    int end = bracketEnd(p, pi);
                    if (end < 0) {
                        // no closing bracket: '[' is an ordinary character
                        if (s.charAt(si) != '[') {
                            return false;
                        }
                        pi++;
                        si++;
                        break;
                    }
                    if (!bracketMatches(p, pi + 1, end, s.charAt(si))) {
                        return false;
                    }
                    pi = end + 1;
                    si++;
                    break;
                }
                case '\\':
                    if (pi + 1 < p.length()) {
                        pi++;
                        c = p.charAt(pi);
                    }
                    // fall through: the quoted character is literal
                default:
                    if (si >= s.length() || s.charAt(si) != c) {
                        return false;
                    }
                    pi++;
                    si++;
            }
        }
        return si == s.length();
    }

    /** Index of the ']' that closes the bracket expression opening at {@code open}, or -1. */
    private static int bracketEnd(String p, int open) {
        int i = open + 1;
        if (i < p.length() && (p.charAt(i) == '!' || p.charAt(i) == '^')) {
            i++;
        }
        if (i < p.length() && p.charAt(i) == ']') {
            i++; // a leading ']' is a member
        }
        while (i < p.length()) {
            if (p.charAt(i) == ']') {
                return i;
            }
            i++;
        }
        return -1;
    }

    private static boolean bracketMatches(String p, int from, int end, char c) {
        boolean negate = false;
        int i = from;
        if (p.charAt(i) == '!' || p.charAt(i) == '^') {
            negate = true;
            i++;
        }
        boolean found = false;
        boolean first = true;
        while (i < end) {
            char lo = p.charAt(i);
            if (lo == ']' && !first) {
                break;
            }
            first = false;
            if (i + 2 < end && p.charAt(i + 1) == '-') {
                char hi = p.charAt(i + 2);
                if (c >= lo && c <= hi) {
                    found = true;
                }
                i += 3;
            } else {
                if (c == lo) {
                    found = true;
                }
                i++;
            }
        }
        return found != negate;
    }
}
