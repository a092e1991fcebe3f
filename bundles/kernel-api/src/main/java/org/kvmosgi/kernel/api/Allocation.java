package org.kvmosgi.kernel.api;

/** Memory handed out by kmalloc; kfree it exactly once. */
public interface Allocation {
    long size();

    String what();

    /** kfree. */
    void free();
}
