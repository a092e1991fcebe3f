package org.kvmosgi.kernel.module;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.param.ParamValues;
import org.kvmosgi.kernel.symbol.SymbolTable;

/**
 * struct module: one loaded (or loading) module. Guarded by the loader's module_mutex
 * except where noted.
 */
public final class KModule implements org.kvmosgi.kernel.dev.Devices.Owner, org.kvmosgi.kernel.api.ModuleInstance {
    final String name;
    /** Its container: a bundle, or a file on a plain class loader (null for a test kit's bare module). */
    final ModuleImage image;
    final ModInfo info;
    final KernelModule code;
    final boolean hasExit;
    final long coreSize;
    final long address;
    volatile ModuleState state = ModuleState.UNFORMED;
    final Refcount refcnt = new Refcount();
    /** source_list: modules that use this one (lsmod's "Used by"). */
    final Set<KModule> holders = new LinkedHashSet<>();
    /** target_list: modules this one uses. */
    final Set<KModule> uses = new LinkedHashSet<>();
    final Map<String, Object> imports = new LinkedHashMap<>();
    final List<SymbolTable.Registration> exports = new ArrayList<>();
    /** Per-module taint letters (P, O, E, F...). */
    final Set<Character> taints = new LinkedHashSet<>();
    /** kmalloc'ed and not yet freed, with the step that took each, for leak accounting. */
    final Map<KmallocObject, String> allocations = new java.util.concurrent.ConcurrentHashMap<>();
    /** Kernel threads the module started and has not stopped. */
    final Set<KThreadImpl> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** References this module's code took on modules (try_module_get) and has not put, by the instance taken. */
    final Map<KModule, Integer> refsTaken = new java.util.concurrent.ConcurrentHashMap<>();
    /**
     * Set when free_module is done: this instance is gone. What still points at it (an
     * open file of a forced unload, a reference taken on it) points at freed memory and
     * never reaches a later load of the same name.
     */
    volatile boolean freed;
    /** References this module's code took on instances that were freed since, by name: void, never put anywhere. */
    final Map<String, Integer> voidedRefs = new java.util.concurrent.ConcurrentHashMap<>();
    ParamValues params;
    boolean sysfs;

    KModule(String name, ModuleImage image, ModInfo info, KernelModule code, long coreSize, long address) {
        this.name = name;
        this.image = image;
        this.info = info;
        this.code = code;
        this.hasExit = code.hasExit();
        this.coreSize = coreSize;
        this.address = address;
    }

    public String name() {
        return name;
    }

    public ModuleState state() {
        return state;
    }

    public ModuleImage image() {
        return image;
    }

    public ModInfo info() {
        return info;
    }

    /** Holders' names in the order they started using this module. */
    public List<String> holderNames() {
        List<String> out = new ArrayList<>();
        for (KModule h : holders) {
            out.add(h.name);
        }
        return out;
    }

    /** Whether this instance was freed (see {@link #freed}). */
    @Override
    public boolean freed() {
        return freed;
    }

    public int refcount() {
        return refcnt.value();
    }

    public long coreSize() {
        return coreSize;
    }

    public long address() {
        return address;
    }

    public ParamValues params() {
        return params;
    }

    public boolean sysfsVisible() {
        return sysfs;
    }

    /** The module's taint letters, as /proc/modules shows them: "(PO)" or "". */
    public String taintString() {
        if (taints.isEmpty()) {
            return "";
        }
        return "(" + Taint.ordered(taints) + ")";
    }

    /** Whether it has init but no exit: /proc/modules shows "[permanent]". */
    public boolean permanent() {
        return !hasExit;
    }

    @Override
    public String toString() {
        return name;
    }
}
