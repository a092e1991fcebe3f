package org.kvmosgi.kvmtool.guest.pvlock;

import org.kvmosgi.kvmtool.vmm.Vm;

/**
 * One implementation of the group pv_ops.lock (struct pv_lock_ops): the four ops the
 * switch replaces together. An implementation calls wait and kick through the installed
 * group ({@link PvOpsLock}), as __pv_queued_spin_lock_slowpath calls pv_wait(), so that
 * a half-switched group really mixes implementations.
 */
interface PvLockOps {
    /** The name of the implementation: {@code native} or {@code pv}. */
    String name();

    /** The function each op slot points to, in the order of {@link PvOpsLock#OPS}. */
    String[] targets();

    /** queued_spin_lock_slowpath: returns holding the lock. */
    void lockSlowpath(LockCpu c) throws Vm.VmmException;

    /** queued_spin_unlock. */
    void unlock(LockCpu c) throws Vm.VmmException;

    /** wait(ptr, val): sleep while *ptr == val (until kicked). */
    void waitOn(LockCpu c, int ptr, int val) throws Vm.VmmException;

    /** kick(cpu): wake vCPU {@code cpu} from its wait. */
    void kick(LockCpu c, int cpu) throws Vm.VmmException;

    /** Whether {@code word} is an unlocked lock in this implementation's representation. */
    boolean unlocked(int word);

    /** The unlocked word this implementation starts from (the state a safe switch carries over). */
    int unlockedWord();
}
