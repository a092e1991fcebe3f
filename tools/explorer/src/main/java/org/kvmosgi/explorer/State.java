package org.kvmosgi.explorer;

import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The canonical state after a sequence, as the shell shows it: what is loaded (with its
 * refcount), the armed injection point that can still fire, the open VMs, the devices,
 * and the modules that went since the reset. Two sequences that reach equal states are
 * equivalent for what follows, so only one of them is extended (memoisation).
 *
 * <p>The modules that went are part of the state on purpose: a partial init or an exit
 * may leave something behind that /proc/modules does not show (an ops pointer), and a
 * state reached through a failure must not be cut as "already seen".
 */
public record State(SortedSet<String> loaded, String armed, List<Long> vms, SortedSet<String> devices,
        SortedSet<String> gone) {
    public State {
        loaded = new TreeSet<>(loaded);
        vms = List.copyOf(vms);
        devices = new TreeSet<>(devices);
        gone = new TreeSet<>(gone);
        armed = armed == null ? "" : armed;
    }

    /** loaded holds "name/refcnt" entries: the names alone. */
    public Set<String> loadedNames() {
        Set<String> out = new TreeSet<>();
        loaded.forEach(l -> out.add(l.substring(0, l.indexOf('/') < 0 ? l.length() : l.indexOf('/'))));
        return out;
    }

    /** The key for memoisation; {@code withGone} false merges states that differ only in what went. */
    public String key(boolean withGone) {
        return loaded + "|" + armed + "|" + vms + "|" + devices + (withGone ? "|" + gone : "");
    }
}
