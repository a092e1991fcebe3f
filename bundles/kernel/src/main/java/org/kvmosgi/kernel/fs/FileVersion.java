package org.kvmosgi.kernel.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * What identifies one version of a module file: its size, modification time and file key
 * (inode). A kept container (a bundle, a jar's class loader) is reused only while the file
 * still has the version it was read at.
 */
record FileVersion(long size, FileTime modified, Object key) {
    static FileVersion of(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return new FileVersion(a.size(), a.lastModifiedTime(), a.fileKey());
    }
}
