package org.kvmosgi.explorer;

import java.util.List;
import java.util.Set;
import java.util.SortedSet;

/**
 * One kernel the explorer drives by calling it, not by typing at it: each operation is the
 * tool's own code (kmod's Modprobe and Rmmod, the system calls fail_function and /dev/kvm
 * take) and each check is diag's analysis on a snapshot read through the system calls,
 * without a shell session in between. {@link SequenceRunner} runs the same operations as
 * command lines; the oracle ({@link Oracle}) holds the two to the same results.
 */
public interface Platform {
    /**
     * What one operation did: its exit status, its stderr, whether it threw past the tool
     * (a bug, where the shell would print {@code gogo: Class: message}), and the fd a
     * KVM_CREATE_VM returned (-1 for none).
     */
    record Step(int status, String err, boolean threw, int vmFd) {
        public boolean ok() {
            return status == 0;
        }
    }

    /**
     * The checks after a step, on one snapshot: the violated invariants (the kernel's and
     * diag's, empty when all hold), the loaded modules as {@code name/refcnt[/STATE]} and
     * the names under /dev; {@code mark}: what {@link #mark} returns at this moment, read by
     * the same check (null when the platform has no mark).
     */
    record Check(List<String> violations, SortedSet<String> loaded, SortedSet<String> devices, Object mark) {
        public Check(List<String> violations, SortedSet<String> loaded, SortedSet<String> devices) {
            this(violations, loaded, devices, null);
        }
    }

    /**
     * The kernel as after boot: the VMM's VMs closed (the VMM exits), every module unloaded,
     * files closed, fail_function cleared, dmesg emptied.
     */
    void reset();

    /** Runs one operation; {@code newestVmFd} is the fd a VM_DESTROY closes. */
    Step apply(Op op, int newestVmFd);

    /**
     * Disarms every fail_function point ({@code failfn clear}): what an armed point that has
     * not fired leaves is gone, so the kernel is where it was before the arming.
     */
    void disarm();

    /** fail_function's {@code times}: 0 once the armed point fired. */
    long failTimes();

    /** The invariants and what is loaded, after the last step. */
    Check check();

    /**
     * Everything the checks and the state read from the kernel, as read (null: the platform
     * cannot tell): the module list, the load attempts, /dev, kmemleak, fail_function's
     * armed points and their times, the ops owners, the kernel's invariants, the taint and
     * the whole log.
     * Two equal marks are two kernels no check and no state tells apart, which is what
     * memoisation already takes an equal state key for; {@link DirectRunner} uses it to run
     * a sibling on the platform its elder left when that step changed none of it.
     */
    default Object mark() {
        return null;
    }

    /**
     * Remembers this moment in {@code slot} (0 to 3) for {@link #undo}: what the kernel
     * cannot take back by unloading what later steps loaded (the log's records, the load
     * history, taint, the oops counter; the kernel's explorer-only checkpoint). Taken where
     * the runner takes a mark.
     */
    default void save(int slot) {}

    /**
     * Brings the kernel back to where it was at {@link #save} into {@code slot}, when
     * {@code before} was its {@link #mark}: the modules loaded since unloaded again (newest
     * first), the points armed since disarmed, fail_function's times put back (an armed
     * point a step fired is armed again), and the kernel's checkpoint restored. Returns the
     * mark after, for the caller to compare with {@code before} (an undo proves itself only
     * so); null when no undo was made and the kernel is as it was (a module went since,
     * which would need its parameters, or the platform cannot undo).
     */
    default Object undo(Object before, int slot) {
        return null;
    }

    /**
     * A kernel-changing system call a step made (finit_module, delete_module, write, open,
     * ioctl, close, mkdir) with its arguments and result (its return value, or -errno).
     */
    record Call(String name, String path, String text, long number, Object arg, long result) {}

    /**
     * The kernel-changing system calls the last {@link #apply} made, in order; null when not
     * written down (the VMM's steps and the framework's, which go past the system calls).
     */
    default List<Call> lastCalls() {
        return null;
    }

    /**
     * Makes {@code calls} again, in order: what the step that made them did to the kernel,
     * without the tool's own work (what it read changes nothing). False as soon as a call's
     * result differs from the one written down; the kernel is then somewhere no sequence names.
     */
    default boolean replay(List<Call> calls) {
        return false;
    }

    /** What {@code why vm TYPE} says contradicts the layout (it creates and destroys a VM to see). */
    List<String> whyVmContradictions(long type);

    /**
     * The module files' groups of modules that can affect each other: linked by a symbol one
     * imports and the other exports, a symbol both export, or a softdep, transitively (a
     * load pulls in what the module links against). A module whose code calls
     * request_module can load anything: it is in no group (commutes with nothing).
     */
    List<Set<String>> moduleGroups();

    /** The kernel log since the last reset, as dmesg prints it. */
    String dmesg();

    /** A file's text through the system calls ({@code cat PATH}); "" when it cannot be read. */
    String read(String path);

    /**
     * The id of the framework bundle of {@code module}'s file, for {@code felix:start ID} (on a
     * model kernel, the id a framework would have given it); -1 when there is none (a file
     * never loaded, or one the framework could not resolve).
     */
    default long bundleId(String module) {
        return -1;
    }
}
