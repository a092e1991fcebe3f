package org.kvmosgi.diag.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.syscall.Syscalls;

/** Reads a {@link Snapshot} through the system calls, as any user-space tool would. */
public final class SnapshotReader {
    static final String LOAD_HISTORY = "/sys/kernel/debug/load_history";
    static final String KMEMLEAK = "/sys/kernel/debug/kmemleak";
    static final String INJECT = "/sys/kernel/debug/fail_function/inject";

    /** Module files read before, by host path, with the size and time they had: reading a jar costs more than a stat. */
    private static final Map<Path, Cached> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

    private record Cached(long size, long modified, ModuleFile file) {}

    private SnapshotReader() {}

    public static Snapshot read(Syscalls sys, String host) {
        String dir = "/lib/modules/" + sys.kernelRelease();
        return new Snapshot(host, dir, moduleFiles(sys, dir), Loaded.parse(readOr(sys, "/proc/modules")),
                Snapshot.historyByName(Attempt.parse(readOr(sys, LOAD_HISTORY))), listOr(sys, "/dev"),
                Leak.parse(readOr(sys, KMEMLEAK)), lines(readOr(sys, INJECT)),
                symbolOwners(readOr(sys, dir + "/modules.symbols")));
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
        Path root = sys.hostPath(dir);
        if (root == null || !Files.isDirectory(root)) {
            return out;
        }
        List<Path> kos = new ArrayList<>();
        try (var s = Files.walk(root)) {
            s.filter(p -> p.getFileName().toString().endsWith(".ko") && Files.isRegularFile(p)).sorted()
                    .forEach(kos::add);
        } catch (IOException e) {
            return out;
        }
        for (Path p : kos) {
            try {
                long size = Files.size(p);
                long modified = Files.getLastModifiedTime(p).toMillis();
                Cached c = CACHE.get(p);
                if (c == null || c.size() != size || c.modified() != modified) {
                    c = new Cached(size, modified, ModinfoReader.read(p, dir + "/"
                            + root.relativize(p).toString().replace('\\', '/')));
                    CACHE.put(p, c);
                }
                if (c.file() != null) {
                    out.putIfAbsent(c.file().name(), c.file());
                }
            } catch (IOException e) {
                // an unreadable file is no module to user space either
            }
        }
        return out;
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

    static List<String> lines(String s) {
        return s.lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
    }
}
