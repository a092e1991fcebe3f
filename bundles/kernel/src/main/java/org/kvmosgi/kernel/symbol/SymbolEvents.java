package org.kvmosgi.kernel.symbol;

import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.hooks.service.EventListenerHook;
import org.osgi.framework.hooks.service.ListenerHook.ListenerInfo;

/**
 * Keeps the events of exported symbols (a service registered and unregistered per export at
 * every load and unload) from the listeners that take every service event without a filter.
 * The platform has one: pax-logging's framework-event logger, which logs them at DEBUG, below
 * the file log's level. Felix checks each delivery to such a listener by loading the service's
 * class through the listener's bundle, which cannot see a module's symbol types: a failed
 * class lookup and an exception per export, per load and per unload, about a third of a
 * module's start and stop. Listeners with a filter (the symbol table's own, trackers) see
 * the events as before, and registry queries see every symbol.
 */
public final class SymbolEvents implements EventListenerHook {
    @Override
    public void event(ServiceEvent event, Map<BundleContext, Collection<ListenerInfo>> listeners) {
        if (event.getServiceReference().getProperty(SymbolTable.SYMBOL) == null) {
            return;
        }
        for (Collection<ListenerInfo> infos : listeners.values()) {
            for (Iterator<ListenerInfo> i = infos.iterator(); i.hasNext();) {
                if (i.next().getFilter() == null) {
                    i.remove();
                }
            }
        }
    }
}
