package org.kvmosgi.kmod.lib;

import java.util.ArrayList;
import java.util.List;

/**
 * modules.alias and modules.symbols: {@code alias PATTERN MODULE} lines. Patterns are
 * stored with libkmod's underscores() applied, as the binary index holds them, and matched
 * with fnmatch against the normalized name that was asked for.
 */
public final class AliasIndex {
    public record Entry(String pattern, String modname) {}

    private final List<Entry> entries = new ArrayList<>();

    public static AliasIndex parse(String text) {
        AliasIndex idx = new AliasIndex();
        for (String line : text.split("\n")) {
            String[] w = line.strip().split("[ \t]+");
            if (w.length < 3 || !w[0].equals("alias")) {
                continue;
            }
            String pattern = ModName.underscores(w[1]);
            if (pattern == null) {
                continue;
            }
            idx.entries.add(new Entry(pattern, w[2]));
        }
        return idx;
    }

    /** Every module whose pattern matches, in file order, each module once. */
    public List<String> match(String name) {
        List<String> out = new ArrayList<>();
        for (Entry e : entries) {
            if (Fnmatch.matches(e.pattern(), name) && !out.contains(e.modname())) {
                out.add(e.modname());
            }
        }
        return out;
    }

    /** An exact key's module (modules.symbols), or null. */
    public String exact(String key) {
        for (Entry e : entries) {
            if (e.pattern().equals(key)) {
                return e.modname();
            }
        }
        return null;
    }

    public List<Entry> entries() {
        return List.copyOf(entries);
    }
}
