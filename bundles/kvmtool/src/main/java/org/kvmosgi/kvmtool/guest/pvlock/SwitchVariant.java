package org.kvmosgi.kvmtool.guest.pvlock;

import java.util.Locale;

/** How the guest replaces the pv lock ops when the hint changes. */
public enum SwitchVariant {
    /** The safe switch: stop_machine (no vCPU inside a lock op, none holding the lock), all ops at once, the lock word carried over. */
    STOP_MACHINE("stop_machine", "all vCPUs stopped outside the lock, the four ops replaced together, the unlocked word carried over"),
    /** Unsafe: each op replaced while the other vCPUs run on (no rendezvous); the word converted by CAS when it looks unlocked. */
    ONE_BY_ONE("one_by_one", "each op replaced in turn while the other vCPUs run on (lock with one, unlock with the other), the word converted by CAS when it looks unlocked"),
    /** Unsafe: stop_machine, but the lock word kept: ticket head == tail is not test-and-set's 0. */
    NO_TRANSFER("no_transfer", "stop_machine, but the lock word left as it is: the implementations disagree on \"unlocked\"");

    public final String id;
    public final String description;

    SwitchVariant(String id, String description) {
        this.id = id;
        this.description = description;
    }

    public static SwitchVariant byId(String id) {
        String n = id.toLowerCase(Locale.ROOT).replace('-', '_');
        for (SwitchVariant v : values()) {
            if (v.id.equals(n)) {
                return v;
            }
        }
        return null;
    }
}
