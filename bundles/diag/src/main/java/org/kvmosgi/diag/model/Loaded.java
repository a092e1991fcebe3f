package org.kvmosgi.diag.model;

import java.util.ArrayList;
import java.util.List;

/** One line of /proc/modules: a module the kernel holds, its references and its state. */
public record Loaded(String name, int refcnt, List<String> holders, boolean permanent, String state) {
    public Loaded {
        holders = List.copyOf(holders);
    }

    public boolean live() {
        return state.equals("Live");
    }

    /** Parses /proc/modules ({@code name size refcnt holders, state address [taints]}). */
    public static List<Loaded> parse(String procModules) {
        List<Loaded> out = new ArrayList<>();
        for (String line : procModules.split("\n")) {
            String[] f = SnapshotReader.words(line, 5);
            if (f.length < 5) {
                continue;
            }
            List<String> holders = new ArrayList<>();
            boolean permanent = false;
            if (!f[3].equals("-")) {
                for (String h : f[3].split(",")) {
                    if (h.equals("[permanent]")) {
                        permanent = true;
                    } else if (!h.isEmpty()) {
                        holders.add(h);
                    }
                }
            }
            int refcnt;
            try {
                refcnt = Integer.parseInt(f[2]);
            } catch (NumberFormatException e) {
                refcnt = 0;
            }
            out.add(new Loaded(f[0], refcnt, holders, permanent, f[4]));
        }
        return out;
    }
}
