package org.kvmosgi.explorer;

import java.util.ArrayList;
import java.util.List;

/**
 * The operations worth trying from a state: load each module not loaded, unload each
 * loaded one, arm each injection point (one at a time, once), create a VM of each type the
 * layout knows when /dev/kvm is there, destroy the newest VM.
 */
public record OpSource(List<String> modules, List<String> points, List<Long> vmTypes) {
    public OpSource {
        modules = List.copyOf(modules);
        points = List.copyOf(points);
        vmTypes = List.copyOf(vmTypes);
    }

    public List<Op> applicable(State s) {
        List<Op> out = new ArrayList<>();
        var loaded = s.loadedNames();
        for (String m : modules) {
            out.add(loaded.contains(m) ? Op.unload(m) : Op.load(m));
        }
        if (s.armed().isEmpty()) {
            points.forEach(p -> out.add(Op.arm(p)));
        }
        if (s.devices().contains("kvm")) {
            vmTypes.forEach(t -> out.add(Op.vmCreate(t)));
        }
        if (!s.vms().isEmpty()) {
            out.add(Op.vmDestroy());
        }
        return out;
    }
}
