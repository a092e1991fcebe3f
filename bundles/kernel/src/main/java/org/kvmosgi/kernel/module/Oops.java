package org.kvmosgi.kernel.module;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.kvmosgi.kernel.api.Printk;

/**
 * The oops x86's page fault handler prints for a jump into a module's text after that
 * module was freed (page_fault_oops, __die, show_regs, print_modules,
 * arch/x86/mm/fault.c and arch/x86/kernel/dumpstack.c): the address is in the freed
 * module's range, so RIP cannot be named; the call trace names the kernel functions
 * that made the call; "Modules linked in" ends with the module that went; the taint line
 * shows the forced unload's 'R'. It then taints the kernel with 'D' (TAINT_DIE), as
 * oops_end does. Linux kills the calling task; the model's one process cannot die, so
 * the system call that oopsed fails instead (the caller's choice of errno).
 */
public final class Oops {
    /** The characters print_tainted prints for a clear flag: 'G' for P (GPL), ' ' for the others. */
    private static final char NOT_PROPRIETARY = 'G';

    private final Printk printk;
    private final Taint taint;
    private final String release;
    private final ModuleList list;
    /** die_counter: the [#N] of each oops. */
    private final AtomicInteger dieCounter = new AtomicInteger();

    public Oops(Printk printk, Taint taint, String release, ModuleList list) {
        this.printk = printk;
        this.taint = taint;
        this.release = release;
        this.list = list;
    }

    /**
     * A call into the text of {@code gone}, which was freed, from the kernel functions
     * {@code callers} (innermost first, e.g. {@code __x64_sys_ioctl}).
     */
    public void freedModuleText(KModule gone, List<String> callers) {
        Printk pr = printk;
        String address = String.format("%016x", gone.address);
        pr.printk(Printk.KERN_ALERT, "BUG: unable to handle page fault for address: %s", address);
        pr.printk(Printk.KERN_ALERT, "#PF: supervisor instruction fetch in kernel mode");
        pr.printk(Printk.KERN_ALERT, "#PF: error_code(0x0010) - not-present page");
        pr.warn("Oops: 0010 [#%d] PREEMPT SMP NOPTI", dieCounter.incrementAndGet());
        pr.warn("CPU: 0 PID: %d Comm: kvmsh %s %s %s", Thread.currentThread().getId(), tainted(), release,
                "#1");
        pr.warn("RIP: 0010:0x%s", address);
        pr.warn("Call Trace:");
        pr.warn(" <TASK>");
        for (String f : callers) {
            pr.warn(" %s", f);
        }
        pr.warn(" </TASK>");
        pr.warn("%s", modulesLinkedIn());
        pr.warn("CR2: %s", address);
        pr.warn("---[ end trace 0000000000000000 ]---");
        taint.add(Taint.DIE);
    }

    /** print_tainted: "Not tainted", or "Tainted: " and one character per flag in bit order. */
    String tainted() {
        if (taint.value() == 0) {
            return "Not tainted";
        }
        StringBuilder sb = new StringBuilder("Tainted: ");
        for (int bit = 0; bit < Taint.LETTERS.length(); bit++) {
            sb.append(taint.test(bit) ? Taint.letter(bit) : bit == Taint.PROPRIETARY_MODULE ? NOT_PROPRIETARY : ' ');
        }
        return sb.toString();
    }

    /** print_modules: the loaded modules with their flags, then the last unloaded one. */
    String modulesLinkedIn() {
        StringBuilder sb = new StringBuilder("Modules linked in:");
        for (KModule m : list.modules()) {
            sb.append(' ').append(m.name).append(m.taintString());
        }
        if (!list.lastUnloaded().isEmpty()) {
            sb.append(" [last unloaded: ").append(list.lastUnloaded()).append(']');
        }
        return sb.toString();
    }

    /** How many oopses were printed (the next is #N+1). */
    int dies() {
        return dieCounter.get();
    }

    /** die_counter as {@link #dies} returned it (the explorer's undo, see {@link Checkpoint}). */
    void restoreDies(int dies) {
        dieCounter.set(dies);
    }

    /** The model's reset: the next oops is #1 again. */
    public void reset() {
        dieCounter.set(0);
    }
}
