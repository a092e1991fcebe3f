package org.kvmosgi.kernel.api.dev;

/**
 * struct file_operations for a device or an anonymous inode. Return values follow the
 * kernel: 0 or a positive result, or a negative errno.
 */
public interface FileOperations {

    /** open; 0 or -errno. The file's owner module is already pinned. */
    default int open(OpenFile file) {
        return 0;
    }

    /** unlocked_ioctl; {@code arg} is the model's version of the user pointer or value. */
    long ioctl(OpenFile file, int cmd, Object arg);

    /** release, on the last close. */
    default void release(OpenFile file) {
        // nothing to free
    }
}
