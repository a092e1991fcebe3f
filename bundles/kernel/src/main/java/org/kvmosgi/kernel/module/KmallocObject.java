package org.kvmosgi.kernel.module;

import org.kvmosgi.kernel.api.Allocation;

/** One kmalloc'ed object, charged to its module until kfree. */
final class KmallocObject implements Allocation {
    private final KModule owner;
    private final Runnable onDoubleFree;
    final String what;
    final long size;
    final long address;
    private boolean freed;

    KmallocObject(KModule owner, String what, long size, long address, Runnable onDoubleFree) {
        this.owner = owner;
        this.what = what;
        this.size = size;
        this.address = address;
        this.onDoubleFree = onDoubleFree;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public String what() {
        return what;
    }

    @Override
    public synchronized void free() {
        if (freed) {
            onDoubleFree.run();
            return;
        }
        freed = true;
        owner.allocations.remove(this);
    }
}
