package org.kvmosgi.diag.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.kvmosgi.kernel.api.Errno;

/** fail_function's injection points as users name them, and the errnos they may return. */
public final class Points {
    private Points() {}

    /**
     * Every injection point: the loader's (from the kernel's {@code injectable} list) and
     * each module file's declared steps, known without loading anything.
     */
    public static List<String> all(List<String> injectable, Collection<ModuleFile> files) {
        Set<String> out = new LinkedHashSet<>();
        for (String line : injectable) {
            String p = line.split("\\s+")[0];
            if (p.startsWith("loader:")) {
                out.add(p);
            }
        }
        files.stream().sorted((a, b) -> a.name().compareTo(b.name()))
                .forEach(f -> f.steps().forEach(st -> out.add(f.name() + ":" + st)));
        // modules loaded from elsewhere (a hand-installed bundle) still show in injectable
        for (String line : injectable) {
            out.add(line.split("\\s+")[0]);
        }
        return new ArrayList<>(out);
    }

    /** {@code ENOMEM}, {@code -ENOMEM}, {@code 12} or {@code -12}: the errno, or null. */
    public static Errno errno(String text) {
        String t = text.trim();
        if (t.startsWith("-")) {
            t = t.substring(1);
        }
        try {
            return Errno.of(Integer.parseInt(t));
        } catch (NumberFormatException e) {
            try {
                return Errno.valueOf(t.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException unknown) {
                return null;
            }
        }
    }

    /** A retval as debugfs shows it ({@code 0xfffffffffffffff4}) back to -12; 0 when unreadable. */
    public static int retval(String shown) {
        String t = shown.trim();
        try {
            if (t.startsWith("0x") || t.startsWith("0X")) {
                return (int) Long.parseUnsignedLong(t.substring(2), 16);
            }
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
