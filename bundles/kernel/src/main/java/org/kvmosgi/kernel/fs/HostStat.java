package org.kvmosgi.kernel.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.syscall.Stat;

/**
 * stat(2) of a file of the model's root, in one host system call where Java 17 allows it.
 * NIO reads all four fields in one call but builds two exceptions for a missing file;
 * {@code java.io.File} says "missing" without exceptions but has no inode. kmod checks the
 * same paths at every command (libkmod's configuration directories and indexes, four of
 * them usually missing), and a host system call is the dearest part of that check, so a
 * path found missing is remembered, as Linux keeps a negative dentry, and checked with
 * {@code java.io.File} first the next time; any other path is read by NIO straight away.
 * Every answer is the file system's at the moment of the call: the memory only picks
 * which call comes first.
 */
final class HostStat {
    /** Bounds the memory: a script that stats many missing names must not grow it without end. */
    private static final int MAX_MISSING = 4096;

    /** By the model's path: its hash is cheaper than the host Path's, made anew at each call. */
    private final Set<String> missing = ConcurrentHashMap.newKeySet();

    /** stat(2) of {@code path}, the model's name of the host file {@code f}. */
    Stat stat(String path, Path f) throws ErrnoException {
        if (missing.contains(path)) {
            if (!f.toFile().exists()) {
                throw new ErrnoException(Errno.ENOENT);
            }
            missing.remove(path);
        }
        try {
            // one stat(2) for all four, where the file system has the unix view
            Map<String, Object> a = Files.readAttributes(f, "unix:isDirectory,size,lastModifiedTime,ino");
            return new Stat((Boolean) a.get("isDirectory"), (Long) a.get("size"),
                    ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS), (Long) a.get("ino"));
        } catch (UnsupportedOperationException | IllegalArgumentException noUnixView) {
            return basicStat(path, f);
        } catch (IOException e) {
            throw missingOr(path, f, Errno.EIO);
        }
    }

    /** stat without an inode number, where the file system has no unix view. */
    private Stat basicStat(String path, Path f) throws ErrnoException {
        try {
            BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
            return new Stat(a.isDirectory(), a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS), 0);
        } catch (IOException e) {
            throw missingOr(path, f, Errno.EIO);
        }
    }

    /**
     * ENOENT, remembered, for a path that is not there (a missing file, or one below a
     * file that is no directory, as {@code java.io.File} has always answered here); else
     * {@code other}.
     */
    private ErrnoException missingOr(String path, Path f, Errno other) {
        if (f.toFile().exists()) {
            return new ErrnoException(other);
        }
        if (missing.size() >= MAX_MISSING) {
            missing.clear();
        }
        missing.add(path);
        return new ErrnoException(Errno.ENOENT);
    }
}
