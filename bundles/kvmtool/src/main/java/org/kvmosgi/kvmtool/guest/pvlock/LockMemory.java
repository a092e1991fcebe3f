package org.kvmosgi.kvmtool.guest.pvlock;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The lock and the data it protects, in guest RAM: the words both implementations read
 * and write with the guest's atomic instructions (here: VarHandle atomics on the
 * VM's memory, which is the guest's physical memory).
 */
final class LockMemory {
    /** The spinlock's 32-bit word: ticket (tail &lt;&lt; 16 | head) or test-and-set (0 / 1). */
    static final int LOCK = 0x9000;
    /** pv: one bit per vCPU that is about to halt or halted in kvm_wait (the model's pv_node hash). */
    static final int WAITERS = 0x9004;
    /** The protected data: incremented non-atomically inside the critical section. */
    static final int COUNTER = 0x9008;
    /** How many vCPUs are inside the critical section: more than one is broken mutual exclusion. */
    static final int HOLDERS = 0x900c;
    static final int END = 0x9010;

    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer ram;

    LockMemory(ByteBuffer ram) {
        if (!ram.isDirect() || ram.capacity() < END) {
            throw new IllegalArgumentException("guest RAM must be direct and hold the lock at 0x" + Integer.toHexString(LOCK));
        }
        this.ram = ram;
    }

    int get(int at) {
        return (int) INT.getVolatile(ram, at);
    }

    void set(int at, int v) {
        INT.setVolatile(ram, at, v);
    }

    boolean cas(int at, int expect, int v) {
        return INT.compareAndSet(ram, at, expect, v);
    }

    int getAndAdd(int at, int delta) {
        return (int) INT.getAndAdd(ram, at, delta);
    }

    void or(int at, int bits) {
        INT.getAndBitwiseOr(ram, at, bits);
    }

    void andNot(int at, int bits) {
        INT.getAndBitwiseAnd(ram, at, ~bits);
    }

    void clear() {
        for (int at = LOCK; at < END; at += 4) {
            set(at, 0);
        }
    }
}
