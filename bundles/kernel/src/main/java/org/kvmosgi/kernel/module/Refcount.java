package org.kvmosgi.kernel.module;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A module's reference count. As in the kernel it starts at MODULE_REF_BASE (1) while the
 * module is loaded; what users see (lsmod, /sys/module/NAME/refcnt) is the count above
 * the base: one per module that uses it plus one per open file or other holder.
 */
public final class Refcount {
    static final int MODULE_REF_BASE = 1;

    private final AtomicInteger count = new AtomicInteger(MODULE_REF_BASE);

    /** try_module_get's increment; the liveness check is the caller's. */
    public void get() {
        count.incrementAndGet();
    }

    /**
     * module_put; false, with the count unchanged, when it would go below the base (the
     * kernel's WARN_ON in module_put: a put without a get).
     */
    public boolean put() {
        return count.getAndUpdate(c -> c > MODULE_REF_BASE ? c - 1 : c) > MODULE_REF_BASE;
    }

    /** module_refcount(): references above the base. */
    public int value() {
        return count.get() - MODULE_REF_BASE;
    }
}
