package org.kvmosgi.kmod.lib;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.syscall.ForwardingSyscalls;
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
 *
 * <p>A cache made by {@link #forOwnRoot()} serves a root only its owner writes, and only
 * through the system calls {@link #tracking} hands it (the explorer's model kernel, whose
 * root is its own and complete before its first command): what it checked is used again
 * without a stat until a write or mkdir of a root file through those calls, after which
 * the next use checks by stat as above (and a parse of a file changed within the racy
 * window is made again). That is libkmod's context as a long-lived user keeps it, built
 * once and checked again when something may have changed; udev checks it at most every
 * three seconds, this at the first use after any change. A write the owner makes another
 * way (through {@code hostPath}, or by another process) is not seen: such a root wants
 * the stat-checked cache.
 */
@Component(service = KmodCache.class)
public final class KmodCache {
    /**
     * A parse and the stats of everything it read ({@link #MISSING} for a path that did not
     * exist); {@code racy}: a file it read had just changed, so a stat cannot vouch for it;
     * {@code checked}: the owner's write count when it was last known current.
     */
    private record Entry(Object value, Map<String, Stat> inputs, boolean racy, long checked) {}

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    /** Whether only {@link #tracking} calls change the root (see {@link #forOwnRoot}). */
    private final boolean ownRoot;
    /** Root writes and mkdirs seen through {@link #tracking}: an entry checked at the current count is current. */
    private volatile long rootWrites;

    /** A cache whose every use checks its files by stat. */
    public KmodCache() {
        this(false);
    }

    private KmodCache(boolean ownRoot) {
        this.ownRoot = ownRoot;
    }

    /**
     * A cache for a root whose files change only through the system calls {@link #tracking}
     * returns: what it checked stays current, with no stat, until such a call writes a file
     * outside /proc, /sys and /dev.
     */
    public static KmodCache forOwnRoot() {
        return new KmodCache(true);
    }

    /**
     * {@code sys} as the owner of a {@link #forOwnRoot()} cache must call it: every write
     * and mkdir of a root file marks what this cache holds for a check by stat at its next use.
     */
    public Syscalls tracking(Syscalls sys) {
        return new ForwardingSyscalls(sys) {
            @Override
            public void write(String path, String content) throws ErrnoException {
                try {
                    kernel.write(path, content);
                } finally {
                    wrote(path);
                }
            }

            @Override
            public void mkdir(String path) throws ErrnoException {
                try {
                    kernel.mkdir(path);
                } finally {
                    wrote(path);
                }
            }
        };
    }

    private void wrote(String path) {
        if (!isKernelFile(path)) {
            rootWrites++; // one owner writes: no two increments race
        }
    }

    /**
     * Surely one of the kernel's own files (/proc, /sys, /dev), which change without a root
     * write and which no parse here reads but /proc/cmdline, fixed at boot.
     */
    private static boolean isKernelFile(String path) {
        return (path.startsWith("/proc/") || path.startsWith("/sys/") || path.startsWith("/dev/")) && isPlain(path);
    }

    /** Surely a file of the root: not the kernel's, and named without "." or ".." on the way. */
    private static boolean isRootFile(String path) {
        return path.startsWith("/") && isPlain(path)
                && !(path.startsWith("/proc") || path.startsWith("/sys") || path.startsWith("/dev"));
    }

    private static boolean isPlain(String path) {
        return !path.contains("/.") && !path.contains("//");
    }

    /**
     * The value {@code parse} made under {@code key}, or a fresh one when any file it read
     * changed (or nothing was kept yet).
     */
    @SuppressWarnings("unchecked")
    public <T> T get(Syscalls sys, String key, Function<Reader, T> parse) {
        // read first: a write while this checks or parses leaves the entry to be checked again
        long writes = rootWrites;
        Entry e = entries.get(key);
        if (e != null) {
            if (ownRoot && e.checked == writes) {
                return (T) e.value;
            }
            if (!e.racy && unchanged(sys, e.inputs)) {
                if (ownRoot) {
                    entries.put(key, new Entry(e.value, e.inputs, false, writes));
                }
                return (T) e.value;
            }
        }
        Reader r = new Reader(sys);
        long now = System.currentTimeMillis() * 1_000_000L;
        T value = parse.apply(r);
        boolean racy = racy(r.inputs, now);
        // a racy parse is kept for an owner, who says when to look again: then it is parsed anew
        if (r.cacheable && (ownRoot || !racy)) {
            entries.put(key, new Entry(value, Map.copyOf(r.inputs), racy, ownRoot ? writes : -1));
        } else {
            entries.remove(key);
        }
        return value;
    }

    /** A stat's answer: the stat, or the errno it failed with. */
    private record Answer(Stat stat, int errno) {}

    /** What {@link #stat(Syscalls, String)} answered for an own root's files since the owner's last write. */
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private volatile long answersAt;

    /**
     * stat(2) of {@code path} for a tool (rmmod's stat of its argument, modprobe's of a path
     * it is given). For an own root, a root file's answer is given again until the owner's
     * next write, as the kernel's dentry cache answers a repeated lookup.
     */
    public Stat stat(Syscalls sys, String path) throws ErrnoException {
        if (!ownRoot || !isRootFile(path)) {
            return sys.stat(path);
        }
        long writes = rootWrites;
        if (answersAt != writes) {
            answers.clear();
            answersAt = writes;
        }
        Answer a = answers.get(path);
        if (a == null) {
            try {
                a = new Answer(sys.stat(path), 0);
            } catch (ErrnoException e) {
                a = new Answer(null, e.errno());
            }
            if (rootWrites == writes) {
                answers.put(path, a);
            }
        }
        if (a.stat == null) {
            throw new ErrnoException(a.errno);
        }
        return a.stat;
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
            if (!Objects.equals(statOrMissing(sys, i.getKey()), i.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static final Stat MISSING = new Stat(false, -1, -1, -1);

    /** The path's stat, {@link #MISSING} when it does not exist, null when the kernel has no stat. */
    private static Stat statOrMissing(Syscalls sys, String path) {
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
            Stat s = statOrMissing(sys, path);
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
                if (!MISSING.equals(statOrMissing(sys, parent))) {
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
