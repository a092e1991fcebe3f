package org.kvmosgi.kernel.module;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * What identifies one version of a module file: its size, modification time and file key
 * (inode). finit_module stats the file once and hands this on: a kept container (a bundle,
 * a jar's class loader) is reused, and a signature verification's answer kept, only while
 * the file still has the version they were made from.
 */
public record FileVersion(long size, FileTime modified, Object key) {
    /** stat(2) of {@code file}. */
    public static FileVersion of(Path file) throws IOException {
        return of(Files.readAttributes(file, BasicFileAttributes.class));
    }

    /** The version of {@code file} when it is a regular file, null when it is missing or something else. */
    public static FileVersion ofRegularFile(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.isRegularFile() ? of(a) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static FileVersion of(BasicFileAttributes a) {
        return new FileVersion(a.size(), a.lastModifiedTime(), a.fileKey());
    }
}
