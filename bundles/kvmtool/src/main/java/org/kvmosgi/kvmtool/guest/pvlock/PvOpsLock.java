package org.kvmosgi.kvmtool.guest.pvlock;

/**
 * pv_ops.lock: the installed op slots, which every lock call site goes through. A slot
 * is replaced by a single write, as patching one call site is; a group switch replaces
 * all four, and whether the others can see a half-replaced group is the variant's business.
 */
final class PvOpsLock {
    static final String[] OPS = {"queued_spin_lock_slowpath", "queued_spin_unlock", "wait", "kick"};

    volatile PvLockOps slowpath;
    volatile PvLockOps unlock;
    volatile PvLockOps wait;
    volatile PvLockOps kick;

    PvOpsLock(PvLockOps all) {
        slowpath = unlock = wait = kick = all;
    }

    /** Slot {@code i} of {@link #OPS}. */
    PvLockOps slot(int i) {
        switch (i) {
            case 0: return slowpath;
            case 1: return unlock;
            case 2: return wait;
            default: return kick;
        }
    }

    void patch(int i, PvLockOps to) {
        switch (i) {
            case 0: slowpath = to; break;
            case 1: unlock = to; break;
            case 2: wait = to; break;
            default: kick = to; break;
        }
    }

    /** The implementation all four slots point to, or null while they disagree. */
    PvLockOps whole() {
        PvLockOps s = slowpath;
        return unlock == s && wait == s && kick == s ? s : null;
    }

    /** "queued_spin_lock_slowpath=native_ticket_lock_slowpath, ...". */
    String describe() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < OPS.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(OPS[i]).append('=').append(slot(i).targets()[i]);
        }
        return sb.toString();
    }
}
