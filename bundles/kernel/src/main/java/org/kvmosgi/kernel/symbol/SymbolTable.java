package org.kvmosgi.kernel.symbol;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.kvmosgi.kernel.api.OpsOwner;
import org.osgi.framework.AllServiceListener;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

/**
 * The kernel's symbol table for modules. The OSGi service registry is the truth: an
 * exported symbol is a service registered by its owner module's bundle, with the symbol's
 * name, owner, license and namespace as properties. Lookups go to an index by name, fed
 * by a service listener from the registry's own events (delivered synchronously, while the
 * owner registers or unregisters), so a lookup costs one hash probe however many symbols
 * are loaded, where a registry query filters every service. {@link #disagreements} compares
 * the index with a registry query; the invariants check it.
 *
 * <p>Made without a bundle context ({@link #withoutRegistry}), as the framework-free kernel
 * makes it, the index is the truth: a module's exports are added and removed by
 * {@link #add} and its registration, and there is no registry to disagree with.
 */
public final class SymbolTable implements AutoCloseable {
    public static final String SYMBOL = "kernel.symbol";
    public static final String OWNER = "kernel.symbol.owner";
    public static final String GPL = "kernel.symbol.gpl";
    public static final String NAMESPACE = "kernel.symbol.namespace";

    /**
     * A symbol found in the table: {@code id} orders registrations (the service id, or the
     * table's own count without a registry); {@code ref} is the service, or null without a
     * registry, where {@code value} is the symbol's value (null with one: ask the registry).
     */
    public record Found(String name, String owner, boolean gplOnly, String namespace, long id, ServiceReference<?> ref,
            Object value) {
        static Found of(ServiceReference<?> r) {
            return new Found((String) r.getProperty(SYMBOL), (String) r.getProperty(OWNER),
                    Boolean.TRUE.equals(r.getProperty(GPL)), (String) r.getProperty(NAMESPACE),
                    (Long) r.getProperty(Constants.SERVICE_ID), r, null);
        }
    }

    /** An export as registered: unregistering it takes the symbol out of the table. */
    public interface Registration {
        /** @throws IllegalStateException when it is gone already (the framework's cleanup of a failed start) */
        void unregister();
    }

    /** The oldest registration first: the one a lookup returns when a name is registered twice. */
    private static final Comparator<Found> OLDEST_FIRST = Comparator.comparingLong(Found::id);

    /** The kernel bundle's context; null without a registry. */
    private final BundleContext kernel;
    /** Symbol name to its registrations (almost always one), oldest first; lists are replaced, never changed. */
    private final Map<String, List<Found>> index = new ConcurrentHashMap<>();
    private final AllServiceListener listener = this::serviceChanged;
    /** The ids of symbols added without a registry. */
    private final java.util.concurrent.atomic.AtomicLong nextId = new java.util.concurrent.atomic.AtomicLong(1);

    /** The table without a framework: the index alone, fed by {@link #add}. */
    public static SymbolTable withoutRegistry() {
        return new SymbolTable(null);
    }

    public SymbolTable(BundleContext kernel) {
        this.kernel = kernel;
        if (kernel == null) {
            return;
        }
        try {
            kernel.addServiceListener(listener, "(" + SYMBOL + "=*)");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        for (Found f : query("(" + SYMBOL + "=*)")) {
            add(f);
        }
    }

    /** find_symbol: the registered symbol of that name, or null. */
    public Found find(String name) {
        List<Found> l = index.get(name);
        return l == null ? null : l.get(0);
    }

    /** Every symbol a module exports. */
    public List<Found> ownedBy(String module) {
        List<Found> out = new ArrayList<>();
        for (List<Found> l : index.values()) {
            for (Found f : l) {
                if (module.equals(f.owner())) {
                    out.add(f);
                }
            }
        }
        out.sort(OLDEST_FIRST);
        return out;
    }

    /**
     * Every exported symbol, by name, each name's registrations oldest first, the names in no
     * order: for a reader that sorts what it keeps (a check that keeps its violations).
     */
    public java.util.Collection<List<Found>> byName() {
        return java.util.Collections.unmodifiableCollection(index.values());
    }

    /** Every exported symbol, oldest registration first. */
    public List<Found> all() {
        List<Found> out = new ArrayList<>();
        index.values().forEach(out::addAll);
        out.sort(OLDEST_FIRST);
        return out;
    }

    /**
     * The exported ops tables ({@link OpsOwner} values) by symbol, each with the module
     * whose ops are installed, "" for none: {@code /sys/kernel/debug/kvmosgi/ops_owners}.
     */
    public Map<String, String> opsOwners() {
        Map<String, String> out = new TreeMap<>();
        // a name's registrations oldest first, so the newest ops table of a name wins, as in all()'s order;
        // no sort of the whole table: the debugfs file is read after every step the explorer checks
        for (List<Found> registrations : index.values()) {
            for (Found f : registrations) {
                Object value = value(f);
                if (value instanceof OpsOwner ops) {
                    String owner = ops.name();
                    out.put(f.name(), owner == null ? "" : owner);
                }
            }
        }
        return out;
    }

    /** The symbol's value: the registry's service object, or null when its owner is going. */
    public Object value(Found f) {
        if (f.ref() == null) {
            return f.value();
        }
        Object value = kernel.getService(f.ref());
        if (value != null) {
            kernel.ungetService(f.ref());
        }
        return value;
    }

    /** Registers one export through the owner's bundle context. */
    public Registration register(BundleContext owner, String module, String name, boolean gplOnly,
            String namespace, Class<?> type, Object value) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(SYMBOL, name);
        props.put(OWNER, module);
        props.put(GPL, gplOnly);
        props.put(NAMESPACE, namespace);
        ServiceRegistration<?> reg = owner.registerService(type.getName(), value, props);
        return reg::unregister;
    }

    /** Adds one export to a table without a registry (see {@link #withoutRegistry}). */
    public Registration add(String module, String name, boolean gplOnly, String namespace, Object value) {
        if (kernel != null) {
            throw new IllegalStateException("the registry is the truth: register through the owner's context");
        }
        Found f = new Found(name, module, gplOnly, namespace, nextId.getAndIncrement(), null, value);
        add(f);
        return () -> {
            if (!removeFrom(name, f.id())) {
                throw new IllegalStateException(name + " of " + module + " is not in the table");
            }
        };
    }

    /**
     * Where the index and the registry disagree, one line each: a registered symbol the
     * index lacks, or an indexed one the registry no longer has. Empty when they agree.
     */
    public List<String> disagreements() {
        List<String> out = new ArrayList<>();
        if (kernel == null) {
            return out;
        }
        List<Found> registry = query("(" + SYMBOL + "=*)");
        List<ServiceReference<?>> indexed = new ArrayList<>();
        index.values().forEach(l -> l.forEach(f -> indexed.add(f.ref())));
        for (Found f : registry) {
            if (!indexed.contains(f.ref())) {
                out.add(String.format("symbol index: %s of %s is registered but not indexed", f.name(), f.owner()));
            }
        }
        List<ServiceReference<?>> registered = registry.stream().<ServiceReference<?>>map(Found::ref).toList();
        for (List<Found> l : index.values()) {
            for (Found f : l) {
                if (!registered.contains(f.ref())) {
                    out.add(String.format("symbol index: %s of %s is indexed but not registered", f.name(), f.owner()));
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        if (kernel != null) {
            kernel.removeServiceListener(listener);
        }
        index.clear();
    }

    private void serviceChanged(ServiceEvent event) {
        ServiceReference<?> ref = event.getServiceReference();
        switch (event.getType()) {
        case ServiceEvent.REGISTERED -> add(Found.of(ref));
        case ServiceEvent.UNREGISTERING, ServiceEvent.MODIFIED_ENDMATCH -> remove(ref);
        case ServiceEvent.MODIFIED -> {
            remove(ref);
            add(Found.of(ref));
        }
        default -> {
            // no other event changes the table
        }
        }
    }

    private synchronized void add(Found f) {
        // the common case: a name nobody exports yet (a module's exports, at every load), one probe
        List<Found> was = index.putIfAbsent(f.name(), List.of(f));
        if (was == null) {
            return;
        }
        List<Found> l = new ArrayList<>(was);
        if (l.stream().noneMatch(x -> x.id() == f.id())) {
            l.add(f);
            l.sort(OLDEST_FIRST);
            index.put(f.name(), List.copyOf(l));
        }
    }

    private synchronized void remove(ServiceReference<?> ref) {
        long id = (Long) ref.getProperty(Constants.SERVICE_ID);
        // its name as indexed: a MODIFIED event may bring a new one, so look everywhere if need be
        if (!removeFrom(String.valueOf(ref.getProperty(SYMBOL)), id)) {
            for (String name : List.copyOf(index.keySet())) {
                if (removeFrom(name, id)) {
                    return;
                }
            }
        }
    }

    private synchronized boolean removeFrom(String name, long id) {
        List<Found> l = index.get(name);
        if (l != null && l.size() == 1) {
            // the common case: the name's only export
            return l.get(0).id() == id && index.remove(name) != null;
        }
        if (l == null || l.stream().noneMatch(f -> f.id() == id)) {
            return false;
        }
        List<Found> rest = l.stream().filter(f -> f.id() != id).toList();
        if (rest.isEmpty()) {
            index.remove(name);
        } else {
            index.put(name, rest);
        }
        return true;
    }

    private List<Found> query(String filter) {
        ServiceReference<?>[] refs;
        try {
            refs = kernel.getAllServiceReferences(null, filter);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(filter, e);
        }
        List<Found> out = new ArrayList<>();
        if (refs != null) {
            for (ServiceReference<?> r : refs) {
                out.add(Found.of(r));
            }
        }
        return out;
    }
}
