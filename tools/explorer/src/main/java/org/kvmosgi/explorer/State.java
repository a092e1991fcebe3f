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
 *
 * <p>{@code vmm} is the VMM's VM ({@link Op#VMM_VM}), "" when there is none, else
 * {@code OPTIONS/VCPUS}, with {@code /ran} once a vCPU was in KVM_RUN (KVM_SET_CPUID2 then
 * warns) and {@code /freed} once a forced unload freed the module instance it pins (each
 * ioctl then oopses). {@code freedVms} are the indexes in {@code vms} of the VMs whose pinned
 * instance was freed so. Both are in the key only when not empty, so explorations without
 * VMM operations or forced unloads keep their keys.
 */
public record State(SortedSet<String> loaded, String armed, List<Long> vms, SortedSet<String> devices,
        SortedSet<String> gone, String vmm, SortedSet<Integer> freedVms) {
    public State {
        loaded = new TreeSet<>(loaded);
        vms = List.copyOf(vms);
        devices = new TreeSet<>(devices);
        gone = new TreeSet<>(gone);
        armed = armed == null ? "" : armed;
        vmm = vmm == null ? "" : vmm;
        freedVms = new TreeSet<>(freedVms);
    }

    public State(SortedSet<String> loaded, String armed, List<Long> vms, SortedSet<String> devices,
            SortedSet<String> gone) {
        this(loaded, armed, vms, devices, gone, "", new TreeSet<>());
    }

    /** The VMM's VM's vCPUs, 0 when there is no VM. */
    public int vmmVcpus() {
        return vmm.isEmpty() ? 0 : Integer.parseInt(vmm.split("/")[1]);
    }

    /** Whether the VMM's VM pins a module instance a forced unload freed. */
    public boolean vmmFreed() {
        return vmm.endsWith("/freed");
    }

    /** The VMM's VM's {@code vm create} options. */
    public String vmmOptions() {
        return vmm.isEmpty() ? "" : vmm.split("/")[0];
    }

    /** loaded holds "name/refcnt" entries: the names alone. */
    public Set<String> loadedNames() {
        Set<String> out = new TreeSet<>();
        loaded.forEach(l -> out.add(l.substring(0, l.indexOf('/') < 0 ? l.length() : l.indexOf('/'))));
        return out;
    }

    /** The key for memoisation; {@code withGone} false merges states that differ only in what went. */
    public String key(boolean withGone) {
        return loaded + "|" + armed + "|" + vms + "|" + devices + (withGone ? "|" + gone : "")
                + (vmm.isEmpty() ? "" : "|vmm " + vmm) + (freedVms.isEmpty() ? "" : "|freed " + freedVms);
    }
}
