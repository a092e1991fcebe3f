package org.kvmosgi.kernel.api.dev;

/** A registered misc device ({@code /dev/NAME}). */
public interface MiscDevice {
    String name();

    /** The module that owns its file operations (fops->owner). */
    String owner();
}
