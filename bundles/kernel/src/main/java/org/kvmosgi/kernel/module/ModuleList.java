package org.kvmosgi.kernel.module;

import static org.kvmosgi.kernel.api.Errno.EBUSY;
import static org.kvmosgi.kernel.api.Errno.EEXIST;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The modules list with module_mutex, which guards it and the modules' states and links,
 * and module_wq, signalled whenever a module changes state or leaves (kernel/module/main.c).
 * Methods named as the kernel's take the mutex themselves; those documented "mutex held"
 * are for callers that hold it across several steps.
 */
public final class ModuleList {
    private final ReentrantLock mutex = new ReentrantLock();
    private final Condition moduleWq = mutex.newCondition();
    /** Oldest first (the kernel's list is newest first: see {@link #modules()}). */
    private final Map<String, KModule> modules = new LinkedHashMap<>();
    /** Modules built into the image (=y), in initcall order: never on the modules list. */
    private final Map<String, KModule> builtins = new LinkedHashMap<>();
    /** last_unloaded_module: name and taint flags of the last module freed, for oopses. */
    private volatile String lastUnloaded = "";

    /** The loaded modules, newest first, as /proc/modules lists them; UNFORMED ones hidden. */
    public List<KModule> modules() {
        mutex.lock();
        try {
            List<KModule> out = formed();
            java.util.Collections.reverse(out);
            return out;
        } finally {
            mutex.unlock();
        }
    }

    /** The modules that are not UNFORMED, oldest first. Mutex held. */
    List<KModule> formed() {
        List<KModule> out = new ArrayList<>(modules.size());
        for (KModule m : modules.values()) {
            if (m.state != ModuleState.UNFORMED) {
                out.add(m);
            }
        }
        return out;
    }

    /** find_module: a formed module of that name ('-' and '_' alike), or null. */
    public KModule find(String name) {
        return locked(() -> {
            KModule m = modules.get(name.replace('-', '_'));
            return m == null || m.state == ModuleState.UNFORMED ? null : m;
        });
    }

    /** The module an image holds, whatever its state, or null. */
    public KModule byImage(ModuleImage image) {
        return locked(() -> {
            for (KModule m : modules.values()) {
                if (image.equals(m.image)) {
                    return m;
                }
            }
            for (KModule m : builtins.values()) {
                if (image.equals(m.image)) {
                    return m;
                }
            }
            return null;
        });
    }

    /** A module built into the image ('-' and '_' alike), or null. */
    public KModule builtin(String name) {
        return locked(() -> builtins.get(name.replace('-', '_')));
    }

    /** The built-in modules, in initcall order. */
    public List<KModule> builtins() {
        return locked(() -> new ArrayList<>(builtins.values()));
    }

    /** A built-in module joins the image's list at its initcall. Mutex held. */
    void addBuiltin(KModule mod) {
        builtins.put(mod.name, mod);
    }

    /** Off the image's list: only at the kernel's own shutdown. */
    void removeBuiltin(KModule mod) {
        change(() -> builtins.remove(mod.name, mod));
    }

    /** Runs {@code r} under module_mutex, for readers that need a consistent picture. */
    public <T> T locked(Supplier<T> r) {
        mutex.lock();
        try {
            return r.get();
        } finally {
            mutex.unlock();
        }
    }

    /** Runs {@code r} under module_mutex and wakes module_wq after it. */
    void change(Runnable r) {
        mutex.lock();
        try {
            r.run();
            moduleWq.signalAll();
        } finally {
            mutex.unlock();
        }
    }

    void lock() {
        mutex.lock();
    }

    void unlock() {
        mutex.unlock();
    }

    /** Signals module_wq. Mutex held. */
    void wakeUp() {
        moduleWq.signalAll();
    }

    /** A module of that exact name in any state, UNFORMED included, or null. Mutex held. */
    KModule get(String name) {
        return modules.get(name);
    }

    /** Onto the list (add_unformed_module). Mutex held. */
    void add(KModule mod) {
        modules.put(mod.name, mod);
    }

    /** Remembers {@code mod} as the last unloaded module (delete_module, before free_module). */
    void unloaded(KModule mod) {
        lastUnloaded = mod.name + mod.taintString();
    }

    /** The last unloaded module's name and taints, as print_modules shows it, or "". */
    public String lastUnloaded() {
        return lastUnloaded;
    }

    /** last_unloaded_module as {@link #lastUnloaded} returned it (the explorer's undo, see {@link Checkpoint}). */
    void restoreLastUnloaded(String nameAndTaints) {
        lastUnloaded = nameAndTaints;
    }

    /** Off the list, waking whoever waits for the name. */
    void remove(KModule mod) {
        change(() -> modules.remove(mod.name, mod));
    }

    void setState(KModule mod, ModuleState state) {
        change(() -> mod.state = state);
    }

    /** Waits on module_wq for at most {@code nanos}; returns what is left. Mutex held. */
    long await(long nanos) throws InterruptedException {
        return moduleWq.awaitNanos(nanos);
    }

    /**
     * module_patient_check_exists (6.4+): wait while a module of that name is still
     * loading; then -EEXIST if it is live, -EBUSY if it failed or is going. Mutex held.
     */
    int patientCheckExists(String name) {
        KModule old = modules.get(name);
        if (old == null) {
            return 0;
        }
        while (old != null && (old.state == ModuleState.COMING || old.state == ModuleState.UNFORMED)) {
            moduleWq.awaitUninterruptibly();
            old = modules.get(name);
        }
        if (old == null) {
            // it went away (failed): don't retry at once, as the kernel does
            return EBUSY.neg();
        }
        return old.state == ModuleState.LIVE ? EEXIST.neg() : EBUSY.neg();
    }
}
