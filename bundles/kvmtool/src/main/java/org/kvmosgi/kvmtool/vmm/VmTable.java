package org.kvmosgi.kvmtool.vmm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The VMs this VMM holds open, by name (kvmtool's instance list). */
public final class VmTable {
    private final Map<String, Vm> vms = new TreeMap<>();
    private int next;

    public synchronized String newName() {
        while (vms.containsKey("vm" + next)) {
            next++;
        }
        return "vm" + next;
    }

    public synchronized boolean contains(String name) {
        return vms.containsKey(name);
    }

    public synchronized void put(Vm vm) {
        vms.put(vm.name, vm);
    }

    public synchronized Vm get(String name) {
        return vms.get(name);
    }

    public synchronized Vm remove(String name) {
        return vms.remove(name);
    }

    public synchronized List<Vm> all() {
        return new ArrayList<>(vms.values());
    }

    /** Closes every VM (the VMM exits). */
    public synchronized void closeAll() {
        for (Vm vm : vms.values()) {
            vm.close();
        }
        vms.clear();
    }
}
