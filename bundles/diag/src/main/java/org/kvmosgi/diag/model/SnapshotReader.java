package org.kvmosgi.diag.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.syscall.Stat;
import org.kvmosgi.kernel.api.syscall.Syscalls;

/** Reads a {@link Snapshot} through the system calls, as any user-space tool would. */
public final class SnapshotReader {
    static final String LOAD_HISTORY = "/sys/kernel/debug/load_history";
    static final String KMEMLEAK = "/sys/kernel/debug/kmemleak";
    static final String INJECT = "/sys/kernel/debug/fail_function/inject";
    static final String OPS_OWNERS = "/sys/kernel/debug/kvmosgi/ops_owners";

    /** Module files read before, by path, with the stat they had: reading a jar costs more than a stat. */
    private static final Map<String, Cached> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

    private record Cached(Stat stat, ModuleFile file) {}

    private SnapshotReader() {}

    public static Snapshot read(Syscalls sys, String host) {
        return of(host, ModuleDir.read(sys), Live.read(sys));
    }

    /**
     * What a snapshot holds that only a change below /lib/modules changes: the module files
     * and what depmod wrote about them (modules.symbols, modules.builtin). A caller that
     * knows nothing writes there between two reads (the explorer: none of its operations
     * does) reads it once.
     */
    public record ModuleDir(String dir, Map<String, ModuleFile> files, Map<String, String> symbolOwners,
            java.util.Set<String> builtin) {
        /** Copied once here, so that each snapshot of them (which copies what it is given) takes them as they are. */
        public ModuleDir {
            symbolOwners = Map.copyOf(symbolOwners);
            builtin = java.util.Set.copyOf(builtin);
        }

        public static ModuleDir read(Syscalls sys) {
            String dir = "/lib/modules/" + sys.kernelRelease();
            return new ModuleDir(dir, moduleFiles(sys, dir),
                    SnapshotReader.symbolOwners(readOr(sys, dir + "/modules.symbols")),
                    SnapshotReader.builtin(readOr(sys, dir + "/modules.builtin")));
        }
    }

    /**
     * The files of a snapshot that change as the kernel runs, as read: /proc/modules, the
     * load history, /dev, kmemleak's report and fail_function's armed points. Equal texts
     * are an equal kernel to every check diag makes on a snapshot.
     */
    public record Live(String modules, String history, List<String> devices, String kmemleak, String inject) {
        public static Live read(Syscalls sys) {
            return new Live(readOr(sys, "/proc/modules"), readOr(sys, LOAD_HISTORY), listOr(sys, "/dev"),
                    readOr(sys, KMEMLEAK), readOr(sys, INJECT));
        }
    }

    /** The snapshot of the module directory {@code dir} read before and the kernel's files {@code live}. */
    public static Snapshot of(String host, ModuleDir dir, Live live) {
        return new Snapshot(host, dir.dir(), dir.files(), Loaded.parse(live.modules()),
                Snapshot.historyByName(Attempt.parse(live.history())), live.devices(), Leak.parse(live.kmemleak()),
                lines(live.inject()), dir.symbolOwners(), dir.builtin());
    }

    /** modules.builtin's paths (kernel/arch/x86/kvm/kvm-intel.ko) as module names. */
    static java.util.Set<String> builtin(String text) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (String l : text.split("\n")) {
            String f = l.trim().substring(l.trim().lastIndexOf('/') + 1);
            if (f.endsWith(".ko")) {
                out.add(Snapshot.modname(f.substring(0, f.length() - 3)));
            }
        }
        return out;
    }

    /**
     * The exported ops tables and the module whose ops each has installed ("" for none),
     * as the kernel publishes them: {@code SYMBOL OWNER} lines, {@code -} for none.
     */
    public static Map<String, String> opsOwners(Syscalls sys) {
        return opsOwners(readOr(sys, OPS_OWNERS));
    }

    /** ops_owners' text as {@link #opsOwners(Syscalls)} returns it. */
    public static Map<String, String> opsOwners(String text) {
        Map<String, String> out = new TreeMap<>();
        for (String line : lines(text)) {
            String[] w = words(line, 3);
            if (w.length == 2) {
                out.put(w[0], w[1].equals("-") ? "" : w[1]);
            }
        }
        return out;
    }

    /** modules.symbols' {@code alias symbol:NAME OWNER} lines as NAME -> OWNER. */
    static Map<String, String> symbolOwners(String text) {
        Map<String, String> out = new java.util.HashMap<>();
        for (String line : lines(text)) {
            String[] w = line.split("\\s+");
            if (w.length == 3 && w[0].equals("alias") && w[1].startsWith("symbol:")) {
                out.put(w[1].substring("symbol:".length()), w[2]);
            }
        }
        return out;
    }

    /** Every module file below {@code dir}, by module name (the first found wins, as depmod's search). */
    public static Map<String, ModuleFile> moduleFiles(Syscalls sys, String dir) {
        Map<String, ModuleFile> out = new TreeMap<>();
        List<String> kos = new ArrayList<>();
        walk(sys, dir, kos);
        Collections.sort(kos);
        for (String path : kos) {
            try {
                Stat stat = sys.stat(path);
                Cached c = CACHE.get(path);
                if (c == null || !c.stat().equals(stat)) {
                    c = new Cached(stat, ModuleFile.read(sys.readBytes(path), path));
                    CACHE.put(path, c);
                }
                if (c.file() != null) {
                    out.putIfAbsent(c.file().name(), c.file());
                }
            } catch (ErrnoException e) {
                // an unreadable file is no module to user space either
            }
        }
        return out;
    }

    /** The regular files named *.ko below {@code dir}, found by readdir and stat. */
    private static void walk(Syscalls sys, String dir, List<String> into) {
        List<String> names;
        try {
            names = sys.list(dir);
        } catch (ErrnoException e) {
            return;
        }
        for (String name : names) {
            String path = dir + "/" + name;
            try {
                if (sys.stat(path).directory()) {
                    walk(sys, path, into);
                } else if (name.endsWith(".ko")) {
                    into.add(path);
                }
            } catch (ErrnoException e) {
                // gone since the readdir
            }
        }
    }

    static String readOr(Syscalls sys, String path) {
        try {
            return sys.read(path);
        } catch (ErrnoException e) {
            return "";
        }
    }

    static List<String> listOr(Syscalls sys, String path) {
        try {
            return sys.list(path);
        } catch (ErrnoException e) {
            return List.of();
        }
    }

    /**
     * The first {@code max} whitespace-separated words of a line ({@code line.trim().split("\\s+")}
     * cut to {@code max}, none for a blank line) without a regex: the explorer parses the
     * kernel's files after every step it checks.
     */
    static String[] words(String line, int max) {
        String[] out = new String[max];
        int n = 0;
        int i = 0;
        int len = line.length();
        while (n < max) {
            while (i < len && isSpace(line.charAt(i))) {
                i++;
            }
            if (i == len) {
                break;
            }
            int start = i;
            while (i < len && !isSpace(line.charAt(i))) {
                i++;
            }
            out[n++] = line.substring(start, i);
        }
        return n == max ? out : java.util.Arrays.copyOf(out, n);
    }

    /** The regex class \s: space, tab, newline, vertical tab, form feed, carriage return. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    static List<String> lines(String s) {
        return s.lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
    }
}
