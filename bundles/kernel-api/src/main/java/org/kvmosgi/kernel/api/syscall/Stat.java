package org.kvmosgi.kernel.api.syscall;

/**
 * What stat(2) says about a path, as far as user space here needs it: the file's type,
 * size, modification time and inode. Two stats of an unchanged file are equal; tools that
 * keep what they parsed from a file (libkmod's indexes and configuration) compare them to
 * know when to read it again. The kernel's own files under /proc and /sys have no
 * modification time (0) and the size of their current content.
 */
public record Stat(boolean directory, long size, long modifiedNanos, long inode) {
    // written out: the generated equals goes through method handles, and kmod compares
    // some ten stats at every command
    @Override
    public boolean equals(Object o) {
        return o instanceof Stat s && directory == s.directory && size == s.size && modifiedNanos == s.modifiedNanos
                && inode == s.inode;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(size) * 31 + Long.hashCode(modifiedNanos) * 17 + Long.hashCode(inode)
                + (directory ? 1 : 0);
    }
}
