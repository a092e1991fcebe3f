package org.kvmosgi.kernel.symbol;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

/**
 * The kernel's symbol table for modules, as a view of the OSGi service registry: an
 * exported symbol is a service registered by its owner module's bundle, with the
 * symbol's name, owner, license and namespace as properties. Lookup is a registry
 * query, so there is no second table to fall out of step.
 */
public final class SymbolTable {
    public static final String SYMBOL = "kernel.symbol";
    public static final String OWNER = "kernel.symbol.owner";
    public static final String GPL = "kernel.symbol.gpl";
    public static final String NAMESPACE = "kernel.symbol.namespace";

    /** A symbol found in the table. */
    public record Found(String name, String owner, boolean gplOnly, String namespace, ServiceReference<?> ref) {}

    private final BundleContext kernel;

    public SymbolTable(BundleContext kernel) {
        this.kernel = kernel;
    }

    /** find_symbol: the registered symbol of that name, or null. */
    public Found find(String name) {
        List<Found> all = query("(" + SYMBOL + "=" + escape(name) + ")");
        return all.isEmpty() ? null : all.get(0);
    }

    /** Every symbol a module exports. */
    public List<Found> ownedBy(String module) {
        return query("(" + OWNER + "=" + escape(module) + ")");
    }

    /** Every exported symbol. */
    public List<Found> all() {
        return query("(" + SYMBOL + "=*)");
    }

    /** Registers one export through the owner's bundle context. */
    public <T> ServiceRegistration<?> register(BundleContext owner, String module, String name, boolean gplOnly,
            String namespace, Class<T> type, Object value) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(SYMBOL, name);
        props.put(OWNER, module);
        props.put(GPL, gplOnly);
        props.put(NAMESPACE, namespace);
        return owner.registerService(type.getName(), value, props);
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
                out.add(new Found((String) r.getProperty(SYMBOL), (String) r.getProperty(OWNER),
                        Boolean.TRUE.equals(r.getProperty(GPL)), (String) r.getProperty(NAMESPACE), r));
            }
        }
        return out;
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c == '(' || c == ')' || c == '*' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
