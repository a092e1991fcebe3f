package org.kvmosgi.kernel.api.dev;

import org.osgi.annotation.versioning.ProviderType;

/** struct file: an open file of a device or anonymous inode. */
@ProviderType
public interface OpenFile {
    /** The path it was opened by, or {@code anon_inode:NAME}. */
    String path();

    Object privateData();

    void setPrivateData(Object data);

    /**
     * anon_inode_getfd: a new file descriptor in the caller's table, whose operations
     * belong to {@code owner} (pinned while the file is open). Returns the fd or -errno.
     */
    int anonInodeGetFd(String name, String owner, FileOperations fops, Object privateData);
}
