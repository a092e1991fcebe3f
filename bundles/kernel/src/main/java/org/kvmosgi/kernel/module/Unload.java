package org.kvmosgi.kernel.module;

import static org.kvmosgi.kernel.api.Errno.EBUSY;
import static org.kvmosgi.kernel.api.Errno.ENOENT;
import static org.kvmosgi.kernel.api.Errno.EWOULDBLOCK;

import java.util.ArrayList;
import java.util.List;
import org.kvmosgi.kernel.dev.Devices;
import org.kvmosgi.kernel.api.Printk;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kernel.inject.CurrentStep;
import org.kvmosgi.kernel.inject.Kmemleak;

/**
 * delete_module and free_module (kernel/module/main.c): the checks that may refuse an
 * unload, the exit, and the freeing of what the module held, with kmemleak's report of
 * what it left behind; and the model's reset, which unloads everything.
 */
public final class Unload {
    private final ModuleList list;
    private final References refs;
    private final SymbolResolver symbols;
    private final ModuleContexts contexts;
    private final Printk printk;
    private final Taint taint;
    /** The misc devices a module left registered, for kmemleak's report. */
    private final Devices devices;
    private final Kmemleak kmemleak;

    public Unload(ModuleList list, References refs, SymbolResolver symbols, ModuleContexts contexts, Printk printk,
            Taint taint, Devices devices, Kmemleak kmemleak) {
        this.list = list;
        this.refs = refs;
        this.symbols = symbols;
        this.contexts = contexts;
        this.printk = printk;
        this.taint = taint;
        this.devices = devices;
        this.kmemleak = kmemleak;
    }

    /**
     * delete_module's checks, in the kernel's order, and the switch to GOING. The caller
     * then stops the bundle, whose stop runs exit and frees the module.
     */
    int prepareDelete(String name, int flags) {
        list.lock();
        try {
            KModule mod = list.get(name.replace('-', '_'));
            if (mod == null || mod.state == ModuleState.UNFORMED) {
                return ENOENT.neg();
            }
            if (!mod.holders.isEmpty()) {
                return EWOULDBLOCK.neg();
            }
            if (mod.state != ModuleState.LIVE) {
                return EBUSY.neg();
            }
            boolean force = (flags & Syscalls.O_TRUNC) != 0;
            if (!mod.hasExit) {
                if (!force) {
                    return EBUSY.neg();
                }
                taint.add(Taint.FORCED_RMMOD);
            }
            if (mod.refcnt.value() != 0) {
                if (!force) {
                    return EWOULDBLOCK.neg();
                }
                taint.add(Taint.FORCED_RMMOD);
            }
            mod.state = ModuleState.GOING;
            list.wakeUp();
            return 0;
        } finally {
            list.unlock();
        }
    }

    /** The bundle of {@code mod} is stopping: exit, then free_module. */
    /** The kernel is stopping: a built-in module's exports and place in the image go, and no exit runs. */
    void forgetBuiltin(KModule mod) {
        symbols.unregisterExports(mod);
        list.removeBuiltin(mod);
    }

    void unload(KModule mod) {
        if (mod.state == ModuleState.LIVE) {
            rawStop(mod);
        }
        if (mod.hasExit) {
            String outer = CurrentStep.enter(mod.name + ":exit");
            try {
                mod.code.exit(contexts.of(mod));
            } catch (RuntimeException | LinkageError e) {
                printk.err("BUG: %s: exit threw %s", mod.name, e);
            } finally {
                CurrentStep.restore(outer);
            }
        }
        freeModule(mod);
    }

    /**
     * A framework stop of a LIVE module, which OSGi cannot refuse. The kernel would
     * refuse it (holders, open files, no exit), so the model makes it consistent: the
     * modules using it are unloaded first (their bundles stopped, which recurses), and
     * what rmmod would only do when forced (open files, no exit) taints the kernel as a
     * forced unload does.
     */
    private void rawStop(KModule mod) {
        Printk pr = printk;
        List<KModule> holders = list.locked(() -> new ArrayList<>(mod.holders));
        for (KModule h : holders) {
            pr.notice("%s: framework stop of a module in use: unloading %s first", mod.name, h.name);
            try {
                h.image.stop();
            } catch (ModuleImage.StopFailed | IllegalStateException e) {
                pr.err("%s: could not stop %s: %s", mod.name, h.name, e.getMessage());
            }
        }
        list.change(() -> {
            if (!mod.hasExit || mod.refcnt.value() != 0) {
                pr.warn("%s: framework stop forces the unload (%s)", mod.name,
                        !mod.hasExit ? "no exit function" : "refcount " + mod.refcnt.value());
                taint.add(Taint.FORCED_RMMOD);
            }
            mod.state = ModuleState.GOING;
        });
    }

    /**
     * free_module: sysfs, exports, uses, parameters, then off the list. What still points
     * at this instance (a file left open by a forced unload, a reference another module's
     * code took on it) now points at freed memory: {@link KModule#freed} makes every later
     * use of it an oops or nothing, never a use of the next load of the same name.
     */
    private void freeModule(KModule mod) {
        mod.sysfs = false;
        symbols.unregisterExports(mod);
        refs.releaseUses(mod);
        reportLeaks(mod);
        list.unloaded(mod);
        mod.freed = true;
        list.remove(mod);
        voidReferencesOn(mod);
    }

    /** References other modules' code took on {@code gone} point at freed memory: void, not counted anywhere. */
    private void voidReferencesOn(KModule gone) {
        list.change(() -> {
            for (KModule m : list.formed()) {
                Integer n = m.refsTaken.remove(gone);
                if (n != null) {
                    m.voidedRefs.merge(gone.name, n, Integer::sum);
                }
            }
        });
    }

    /**
     * kmemleak for a module that went: what it still holds (memory, devices it
     * registered, references it took, kernel threads) is reported, with the step that took it.
     */
    void reportLeaks(KModule mod) {
        List<Kmemleak.Leak> leaks = new ArrayList<>();
        mod.allocations.forEach((a, step) -> leaks.add(new Kmemleak.Leak(mod.name, "kmalloc", a.what, a.size,
                a.address, step)));
        for (String dev : devices.registeredBy(mod.name)) {
            leaks.add(new Kmemleak.Leak(mod.name, "misc device", "/dev/" + dev, 0, 0, mod.name + ":init"));
        }
        mod.refsTaken.forEach((owner, n) -> leaks.add(new Kmemleak.Leak(mod.name, "module reference",
                n + " on " + owner.name, 0, 0, mod.name + ":init")));
        for (KThreadImpl t : List.copyOf(mod.threads)) {
            leaks.add(new Kmemleak.Leak(mod.name, "kthread", "[" + t.name() + "]", 0, 0, t.step));
            // in Linux it would go on running the freed module's code; the model stops it
            printk.err("BUG: kthread %s of %s outlived its module: stopped", t.name(), mod.name);
            t.stop();
        }
        if (!leaks.isEmpty()) {
            kmemleak.add(leaks);
            printk.err("kmemleak: %d new suspected memory leaks (see /sys/kernel/debug/kmemleak)",
                    leaks.size());
        }
    }

    /** Unloads every module, newest first: the kernel bundle is stopping. */
    void unloadAll() {
        for (KModule m : list.modules()) {
            try {
                m.image.stop();
            } catch (ModuleImage.StopFailed | IllegalStateException e) {
                printk.err("%s: unload at shutdown failed: %s", m.name, e.getMessage());
            }
        }
    }
}
