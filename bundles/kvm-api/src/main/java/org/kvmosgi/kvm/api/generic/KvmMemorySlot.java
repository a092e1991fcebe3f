package org.kvmosgi.kvm.api.generic;

import java.nio.ByteBuffer;

/** struct kvm_memory_slot: guest physical memory backed by user memory. */
public final class KvmMemorySlot {
    public final int id;
    public final int flags;
    public final long base;
    public final long size;
    /** The user mapping, little endian, position 0 = {@link #base}. */
    public final ByteBuffer memory;

    public KvmMemorySlot(int id, int flags, long base, long size, ByteBuffer memory) {
        this.id = id;
        this.flags = flags;
        this.base = base;
        this.size = size;
        this.memory = memory;
    }

    public boolean contains(long gpa, int len) {
        return gpa >= base && gpa + len <= base + size;
    }

    public boolean readonly() {
        return (flags & org.kvmosgi.kvm.api.KvmUserspaceMemoryRegion.KVM_MEM_READONLY) != 0;
    }
}
