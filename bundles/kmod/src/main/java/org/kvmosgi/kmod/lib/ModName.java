package org.kvmosgi.kmod.lib;

/** Module names as libkmod spells them: '-' and '_' are one character. */
public final class ModName {
    private static final String[] KO_SUFFIXES = {".ko", ".ko.gz", ".ko.xz", ".ko.zst"};

    private ModName() {}

    /** modname_normalize(): every '-' becomes '_'. */
    public static String normalize(String name) {
        return name.replace('-', '_');
    }

    /**
     * alias_normalize()/underscores(): '-' becomes '_' except inside [...] character
     * classes of a pattern. Returns null for an unmatched '[' or ']', which libkmod
     * rejects as an invalid alias.
     */
    public static String underscores(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '[') {
                int end = s.indexOf(']', i);
                if (end < 0) {
                    return null;
                }
                b.append(s, i, end + 1);
                i = end;
            } else if (c == ']') {
                return null;
            } else {
                b.append(c == '-' ? '_' : c);
            }
        }
        return b.toString();
    }

    /** path_to_modname() for a module file: the basename up to its first '.', normalized; null when it is not a module file name. */
    public static String fromPath(String path) {
        return isModuleFileName(path) ? anyPathToModname(path) : null;
    }

    /** path_to_modname() for any path, as rmmod uses it: the basename up to its first '.', normalized. */
    public static String anyPathToModname(String path) {
        String base = basename(path);
        int dot = base.indexOf('.');
        return normalize(dot < 0 ? base : base.substring(0, dot));
    }

    /** Whether the name ends like a module file ({@code .ko}, {@code .ko.xz}, ...). */
    public static boolean isModuleFileName(String path) {
        String base = basename(path);
        for (String suffix : KO_SUFFIXES) {
            if (base.endsWith(suffix) && base.length() > suffix.length()) {
                return true;
            }
        }
        return false;
    }

    public static String basename(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }
}
