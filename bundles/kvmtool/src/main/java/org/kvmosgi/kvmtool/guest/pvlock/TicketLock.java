package org.kvmosgi.kvmtool.guest.pvlock;

import static org.kvmosgi.kvmtool.guest.pvlock.LockMemory.LOCK;

/**
 * The native lock: a ticket lock (tail in the high half, head in the low half; a vCPU
 * takes the tail and spins until the head reaches it). Unlocked means head == tail,
 * whatever their value. Fair, and helpless when the next ticket's vCPU is preempted,
 * which is why a guest without KVM_HINTS_REALTIME wants the pv lock. wait and kick are
 * paravirt_nop.
 */
final class TicketLock implements PvLockOps {
    @Override
    public String name() {
        return "native";
    }

    @Override
    public String[] targets() {
        return new String[] {"native_ticket_lock_slowpath", "native_ticket_unlock", "paravirt_nop", "paravirt_nop"};
    }

    @Override
    public void lockSlowpath(LockCpu c) {
        int ticket = c.mem.getAndAdd(LOCK, 1 << 16) >>> 16;
        c.state = LockCpu.SPINNING;
        while ((c.mem.get(LOCK) & 0xffff) != ticket) {
            c.relax();
        }
    }

    @Override
    public void unlock(LockCpu c) {
        for (;;) {
            int w = c.mem.get(LOCK);
            if (c.mem.cas(LOCK, w, (w & 0xffff0000) | ((w + 1) & 0xffff))) {
                return;
            }
        }
    }

    @Override
    public void waitOn(LockCpu c, int ptr, int val) {
        // paravirt_nop
    }

    @Override
    public void kick(LockCpu c, int cpu) {
        // paravirt_nop
    }

    @Override
    public boolean unlocked(int word) {
        return (word & 0xffff) == (word >>> 16);
    }

    @Override
    public int unlockedWord() {
        return 0;
    }
}
