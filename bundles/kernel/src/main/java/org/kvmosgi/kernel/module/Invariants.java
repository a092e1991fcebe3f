package org.kvmosgi.kernel.module;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kvmosgi.kernel.dev.Devices;
import org.kvmosgi.kernel.inject.Kmemleak;
import org.kvmosgi.kernel.symbol.SymbolTable;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * The kernel's consistency rules, checked on demand (for exploration and tests): every
 * reference accounted for, every symbol owned by a module that is there and indexed as the
 * registry has it, nothing left
 * behind by modules that went. Each violation is one line; none means consistent.
 */
public final class Invariants {
    private final Loader loader;
    private final Devices devices;
    private final SymbolTable symbols;
    /** The kernel bundle's context: every bundle, to find a module bundle's leftover services; null without a framework. */
    private final BundleContext context;
    private final Kmemleak kmemleak;

    public Invariants(Loader loader, Devices devices, SymbolTable symbols, BundleContext context, Kmemleak kmemleak) {
        this.loader = loader;
        this.devices = devices;
        this.symbols = symbols;
        this.context = context;
        this.kmemleak = kmemleak;
    }

    /** The violations now, one line each; none means consistent. */
    public List<String> check() {
        List<String> out = new ArrayList<>();
        List<KModule> mods = loader.modules();
        Map<Devices.Owner, Integer> files = devices.openFilesByOwner();
        Map<KModule, Integer> taken = new HashMap<>();
        loader.locked(() -> {
            for (KModule m : mods) {
                m.refsTaken.forEach((owner, n) -> taken.merge(owner, n, Integer::sum));
            }
            for (KModule m : mods) {
                int expected = m.holders.size() + files.getOrDefault(m, 0) + taken.getOrDefault(m, 0);
                if (m.refcnt.value() != expected) {
                    out.add(String.format("refcount: %s has %d, expected %d (%d holders, %d open files, %d references)",
                            m.name, m.refcnt.value(), expected, m.holders.size(), files.getOrDefault(m, 0),
                            taken.getOrDefault(m, 0)));
                }
            }
            return null;
        });
        out.addAll(symbols.disagreements());
        // each owner looked up once, not once a symbol: a module exports hundreds
        Map<String, Boolean> owned = new HashMap<>();
        List<SymbolTable.Found> orphans = new ArrayList<>();
        for (List<SymbolTable.Found> registrations : symbols.byName()) {
            for (SymbolTable.Found f : registrations) {
                if (Loader.VMLINUX.equals(f.owner())) {
                    continue; // the image's own exports, built-in modules' included
                }
                Boolean formed = owned.get(f.owner());
                if (formed == null) {
                    formed = formed(f.owner());
                    owned.put(f.owner(), formed);
                }
                if (!formed) {
                    orphans.add(f);
                }
            }
        }
        // in registration order, as the table lists them
        orphans.sort(java.util.Comparator.comparingLong(SymbolTable.Found::id));
        for (SymbolTable.Found f : orphans) {
            KModule owner = loader.find(f.owner());
            out.add(String.format("symbol: %s is registered for %s, which is %s", f.name(), f.owner(),
                    owner == null ? "not loaded" : owner.state.initstate()));
        }
        for (Bundle b : context == null ? new Bundle[0] : context.getBundles()) {
            if (!ModInfo.isModule(b) || loader.byBundle(b) != null) {
                continue;
            }
            ServiceReference<?>[] regs = b.getRegisteredServices();
            if (regs != null && regs.length > 0) {
                out.add(String.format("services: %s is not loaded but its bundle still offers %d services",
                        b.getSymbolicName(), regs.length));
            }
        }
        devices.deviceOwners().forEach((dev, owner) -> {
            if (loader.find(owner) == null && loader.builtin(owner) == null) {
                out.add(String.format("device: /dev/%s belongs to %s, which is not loaded", dev, owner));
            }
        });
        // files of freed instances (a forced unload) are left out: they oops on use and pin nothing
        files.forEach((owner, n) -> {
            KModule m = (KModule) owner;
            if (loader.find(m.name) != m && loader.builtin(m.name) != m) {
                out.add(String.format("files: %d open files belong to %s, which is not loaded", n, m.name));
            }
        });
        int leaks = kmemleak.leaks().size();
        if (leaks > 0) {
            out.add(String.format("kmemleak: %d suspected leaks", leaks));
        }
        return out;
    }

    /** Whether a symbol's owner is there to own it: a module coming or live. */
    private boolean formed(String name) {
        KModule owner = loader.find(name);
        return owner != null && (owner.state == ModuleState.COMING || owner.state == ModuleState.LIVE);
    }
}
