package org.kvmosgi.kvm.api;

import java.nio.ByteBuffer;

/**
 * struct kvm_userspace_memory_region. {@code userspaceMemory} stands for
 * {@code userspace_addr}: the user memory (an anonymous mapping in C) that backs the
 * slot; its capacity must be at least {@code memorySize}. A size of 0 deletes the slot.
 */
public final class KvmUserspaceMemoryRegion {
    public static final int KVM_MEM_LOG_DIRTY_PAGES = 1;
    public static final int KVM_MEM_READONLY = 2;

    public int slot;
    public int flags;
    public long guestPhysAddr;
    public long memorySize;
    public ByteBuffer userspaceMemory;

    public KvmUserspaceMemoryRegion() {}

    public KvmUserspaceMemoryRegion(int slot, int flags, long guestPhysAddr, long memorySize, ByteBuffer memory) {
        this.slot = slot;
        this.flags = flags;
        this.guestPhysAddr = guestPhysAddr;
        this.memorySize = memorySize;
        this.userspaceMemory = memory;
    }
}
