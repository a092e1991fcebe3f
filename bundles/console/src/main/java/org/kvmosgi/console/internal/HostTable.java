package org.kvmosgi.console.internal;

import java.util.ArrayList;
import java.util.List;

/** Formats /proc/kvmosgi/hosts ({@code name<TAB>arch<TAB>description} a line) as an aligned table. */
final class HostTable {
    private HostTable() {
    }

    static List<String> format(String procHosts) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"PROFILE", "ARCH", "DESCRIPTION"});
        for (String line : procHosts.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", 3);
            rows.add(new String[] {f[0], f.length > 1 ? f[1] : "", f.length > 2 ? f[2] : ""});
        }
        int w0 = 0;
        int w1 = 0;
        for (String[] r : rows) {
            w0 = Math.max(w0, r[0].length());
            w1 = Math.max(w1, r[1].length());
        }
        List<String> out = new ArrayList<>();
        for (String[] r : rows) {
            out.add((pad(r[0], w0) + "  " + pad(r[1], w1) + "  " + r[2]).stripTrailing());
        }
        return out;
    }

    private static String pad(String s, int width) {
        StringBuilder b = new StringBuilder(s);
        while (b.length() < width) {
            b.append(' ');
        }
        return b.toString();
    }
}
