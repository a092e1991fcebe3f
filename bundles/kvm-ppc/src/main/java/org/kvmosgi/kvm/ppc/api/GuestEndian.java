package org.kvmosgi.kvm.ppc.api;

import java.nio.ByteBuffer;

/**
 * Loads and stores of 1, 2, 4 or 8 bytes in the guest's byte order (MSR[LE]) on a buffer
 * of another order, swapped in place: the processor's accesses to guest memory and
 * kvm.ko's to kvm_run.mmio.data. Never through a re-ordered view (duplicate().order()),
 * which allocates on every access where the JIT does no escape analysis (C1, what
 * ./kvmsh runs): the exit path stays allocation-free.
 */
public final class GuestEndian {
    private GuestEndian() {}

    /** A load of {@code bytes} at {@code off}, zero-extended; {@code swap}: the guest's order is not the buffer's. */
    public static long get(ByteBuffer b, int off, int bytes, boolean swap) {
        return switch (bytes) {
            case 1 -> b.get(off) & 0xffL;
            case 2 -> (swap ? Short.reverseBytes(b.getShort(off)) : b.getShort(off)) & 0xffffL;
            case 4 -> (swap ? Integer.reverseBytes(b.getInt(off)) : b.getInt(off)) & 0xffffffffL;
            default -> swap ? Long.reverseBytes(b.getLong(off)) : b.getLong(off);
        };
    }

    /** A store of the low {@code bytes} of {@code value} at {@code off}. */
    public static void put(ByteBuffer b, int off, long value, int bytes, boolean swap) {
        switch (bytes) {
            case 1 -> b.put(off, (byte) value);
            case 2 -> b.putShort(off, swap ? Short.reverseBytes((short) value) : (short) value);
            case 4 -> b.putInt(off, swap ? Integer.reverseBytes((int) value) : (int) value);
            default -> b.putLong(off, swap ? Long.reverseBytes(value) : value);
        }
    }

    /** Whether the vCPU's byte order (MSR[LE]) differs from the buffer's. */
    public static boolean swapped(KvmPpcVcpu v, ByteBuffer b) {
        boolean le = (v.msr & KvmPpcVcpu.MSR_LE) != 0;
        return le != (b.order() == java.nio.ByteOrder.LITTLE_ENDIAN);
    }
}
