package org.kvmosgi.kmod.lib;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.syscall.Stat;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.osgi.service.component.annotations.Component;

/**
 * What the tools parsed from the module directory's indexes and the modprobe.d
 * configuration, kept between commands and parsed again only when a file it came from
 * changed: each parse reads through a {@link Reader} that stats every file and directory
 * before reading it, and a later use stats them again and compares. A kernel without
 * stat (ENOSYS) gets no caching: every use parses again, as before.
 *
 * <p>One instance is shared by the kmod commands (a DS component); a tool made without one
 * has a private instance, which caches within that one command only.
 */
@Component(service = KmodCache.class)
public final class KmodCache {
    /** A parse and the stats of everything it read; null stat for a path that did not exist. */
    private record Entry(Object value, Map<String, Stat> inputs) {}

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /**
     * The value {@code parse} made under {@code key}, or a fresh one when any file it read
     * changed (or nothing was kept yet).
     */
    @SuppressWarnings("unchecked")
    public <T> T get(Syscalls sys, String key, Function<Reader, T> parse) {
        Entry e = entries.get(key);
        if (e != null && unchanged(sys, e.inputs)) {
            return (T) e.value;
        }
        Reader r = new Reader(sys);
        long now = System.currentTimeMillis() * 1_000_000L;
        T value = parse.apply(r);
        if (r.cacheable && !racy(r.inputs, now)) {
            entries.put(key, new Entry(value, Map.copyOf(r.inputs)));
        } else {
            entries.remove(key);
        }
        return value;
    }

    /**
     * Whether a file was modified so shortly before it was read that a second change with
     * the same size could keep its time stamp (file times are only as fine as the kernel's
     * clock tick): such a parse is not kept, as git treats a racily clean index entry.
     */
    private static boolean racy(Map<String, Stat> inputs, long nowNanos) {
        for (Stat s : inputs.values()) {
            if (s.modifiedNanos() > nowNanos - RACY_NANOS) {
                return true;
            }
        }
        return false;
    }

    /** How recent a modification makes a parse racy. */
    private static final long RACY_NANOS = 2_000_000_000L;

    private static boolean unchanged(Syscalls sys, Map<String, Stat> inputs) {
        for (Map.Entry<String, Stat> i : inputs.entrySet()) {
            if (!Objects.equals(stat(sys, i.getKey()), i.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static final Stat MISSING = new Stat(false, -1, -1, -1);

    /** The path's stat, {@link #MISSING} when it does not exist, null when the kernel has no stat. */
    private static Stat stat(Syscalls sys, String path) {
        try {
            return sys.stat(path);
        } catch (ErrnoException e) {
            return e.errno() == Errno.ENOSYS.value() ? null : MISSING;
        }
    }

    /** Reads for a parse, remembering the stat of each path as it was just before it was read. */
    public static final class Reader {
        private final Syscalls sys;
        private final Map<String, Stat> inputs = new ConcurrentHashMap<>();
        private boolean cacheable = true;

        Reader(Syscalls sys) {
            this.sys = sys;
        }

        private void note(String path) {
            Stat s = stat(sys, path);
            if (s == null) {
                cacheable = false;
            } else {
                inputs.put(MISSING.equals(s) ? shallowestMissing(path) : path, s);
            }
        }

        /**
         * The highest missing directory on a missing path's way from the root: the path
         * stays missing while that does, so one stat of it covers every missing path below
         * it (libkmod's /run, /usr/local/lib and /usr/lib configuration directories are
         * checked at every command; in a root without /run and /usr that is two stats, not
         * three). A host stat is the dearest part of that check.
         */
        private String shallowestMissing(String path) {
            String missing = path;
            for (int i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
                String parent = path.substring(0, i);
                if (!MISSING.equals(stat(sys, parent))) {
                    break;
                }
                missing = parent;
            }
            return missing;
        }

        /** A file's content, or null when it does not exist or cannot be read. */
        public String readOrNull(String path) {
            note(path);
            try {
                return sys.read(path);
            } catch (ErrnoException e) {
                return null;
            }
        }

        /** A directory's names, or none when it cannot be listed. */
        public List<String> listOrEmpty(String path) {
            note(path);
            try {
                return new ArrayList<>(sys.list(path));
            } catch (ErrnoException e) {
                return List.of();
            }
        }
    }
}
