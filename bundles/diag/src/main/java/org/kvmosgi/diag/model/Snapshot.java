package org.kvmosgi.diag.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What user space can see of the kernel at one moment, read once through the system
 * calls: the analysis works on it alone, so it can be tested without a kernel.
 *
 * @param host the host profile the kernel booted on
 * @param moduleDir {@code /lib/modules/RELEASE}
 * @param files the module files there, by module name
 * @param loaded /proc/modules
 * @param history each module's last load attempt, by module name
 * @param devices the names under /dev
 * @param leaks kmemleak's report
 * @param armed the armed fail_function points
 * @param symbolOwners modules.symbols: the owner depmod chose for each symbol (its rule for
 *        a symbol two modules export, kmod's last or the first in modules.order)
 * @param builtin modules.builtin: the modules built into the image, live from boot on
 *        without a place in /proc/modules
 */
public record Snapshot(String host, String moduleDir, Map<String, ModuleFile> files, List<Loaded> loaded,
        Map<String, Attempt> history, List<String> devices, List<Leak> leaks, List<String> armed,
        Map<String, String> symbolOwners, java.util.Set<String> builtin) {
    /** A snapshot without modules.builtin. */
    public Snapshot(String host, String moduleDir, Map<String, ModuleFile> files, List<Loaded> loaded,
            Map<String, Attempt> history, List<String> devices, List<Leak> leaks, List<String> armed,
            Map<String, String> symbolOwners) {
        this(host, moduleDir, files, loaded, history, devices, leaks, armed, symbolOwners, java.util.Set.of());
    }

    /** A snapshot without modules.symbols. */
    public Snapshot(String host, String moduleDir, Map<String, ModuleFile> files, List<Loaded> loaded,
            Map<String, Attempt> history, List<String> devices, List<Leak> leaks, List<String> armed) {
        this(host, moduleDir, files, loaded, history, devices, leaks, armed, Map.of());
    }

    public Snapshot {
        symbolOwners = Map.copyOf(symbolOwners);
        builtin = java.util.Set.copyOf(builtin);
        files = Map.copyOf(files);
        loaded = List.copyOf(loaded);
        history = Map.copyOf(history);
        devices = List.copyOf(devices);
        leaks = List.copyOf(leaks);
        armed = List.copyOf(armed);
    }

    /** Module names as the kernel writes them: '-' and '_' are the same. */
    public static String modname(String name) {
        return name.replace('-', '_');
    }

    public Optional<Loaded> loaded(String name) {
        String n = modname(name);
        return loaded.stream().filter(l -> l.name().equals(n)).findFirst();
    }

    /** Whether the module runs: live on the module list, or built into the image. */
    public boolean live(String name) {
        return loaded(name).map(Loaded::live).orElse(false) || builtin.contains(modname(name));
    }

    public Optional<ModuleFile> file(String name) {
        return Optional.ofNullable(files.get(modname(name)));
    }

    public Optional<Attempt> lastAttempt(String name) {
        return Optional.ofNullable(history.get(modname(name)));
    }

    /**
     * The module file exporting {@code symbol}. When several do (a duplicate export), the
     * one the kernel used is the likeliest: a loaded one, then the one depmod chose (which
     * modprobe loads), then one that was tried, then the first by name.
     */
    public Optional<ModuleFile> exporterOf(String symbol) {
        String depmod = symbolOwners.get(symbol);
        return files.values().stream().filter(f -> f.exports().contains(symbol)).min(
                java.util.Comparator.comparingInt((ModuleFile f) -> loaded(f.name()).isPresent() ? 0
                        : f.name().equals(depmod) ? 1 : history.containsKey(f.name()) ? 2 : 3)
                        .thenComparing(ModuleFile::name));
    }

    public List<Leak> leaksOf(String name) {
        String n = modname(name);
        return leaks.stream().filter(l -> l.module().equals(n)).toList();
    }

    /** Convenience for tests and callers building a snapshot from lists. */
    public static Map<String, ModuleFile> byName(List<ModuleFile> files) {
        Map<String, ModuleFile> out = new LinkedHashMap<>();
        files.forEach(f -> out.put(f.name(), f));
        return out;
    }

    public static Map<String, Attempt> historyByName(List<Attempt> attempts) {
        Map<String, Attempt> out = new LinkedHashMap<>();
        attempts.forEach(a -> out.put(a.module(), a));
        return out;
    }
}
