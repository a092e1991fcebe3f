package org.kvmosgi.explorer;

import java.util.ArrayList;
import java.util.List;

/**
 * The operations worth trying from a state: load each module not loaded, unload each
 * loaded one, arm each injection point (one at a time, once), create a VM of each type the
 * layout knows when /dev/kvm is there, destroy the newest VM; and, when asked for, load a
 * module with each chosen parameter value, write each chosen value of a loaded module's
 * parameter through sysfs, and force the unload of each loaded module ({@code rmmod -f});
 * the VMM's operations on its one VM ({@link Vmm}); and the framework's raw stop of each
 * loaded module's bundle and raw start of each that went ({@code felix:stop}, {@code felix:start}).
 *
 * <p>{@code vmfd create} is bounded by {@code maxVms} open VMs: each VM raises the vendor's
 * refcount, so without a bound every level has one more state than the last (one more VM)
 * and the depth a run reaches says more about that chain than about the modules. The
 * bound cuts operations, not states: the state key still holds every open VM.
 *
 * @param params the chosen parameter values (valid ones and invalid ones alike)
 * @param forced whether {@code rmmod -f} is tried too
 * @param vmm the VMM's operations, null for none
 * @param rawStops whether {@code felix:stop} and {@code felix:start} of module bundles are tried
 * @param maxVms the most VMs {@code vmfd create} keeps open at once
 */
public record OpSource(List<String> modules, List<String> points, List<Long> vmTypes, List<Param> params,
        boolean forced, Vmm vmm, boolean rawStops, int maxVms) {
    /** {@code --vms}' default: two VMs show what a second VM's reference does, a third adds only a longer chain. */
    public static final int DEFAULT_MAX_VMS = 2;

    /**
     * The VMM's operations, bounded so that the space stays finite: one VM at a time, made
     * with each of {@code createOptions} while /dev/kvm is there; on it, one more vCPU while
     * it has fewer than {@code maxVcpus}, {@code vm run} of each workload ("" the
     * architecture's default) for a fixed number of iterations, the pv-lock guest's switch
     * of its lock ops ({@code pvLock}; x86 VMs with the in-kernel irqchip and two vCPUs or
     * more, the guest's condition), and its destruction.
     */
    public record Vmm(List<String> createOptions, int maxVcpus, List<String> workloads, boolean pvLock) {
        public Vmm {
            createOptions = List.copyOf(createOptions);
            workloads = List.copyOf(workloads);
        }
    }

    /** A value for a module parameter: {@code MODULE.NAME=VALUE} on the command line. */
    public record Param(String module, String name, String value) {
        /** Parses {@code MODULE.NAME=VALUE}; null when it is not of that form. */
        public static Param parse(String s) {
            int dot = s.indexOf('.');
            int eq = s.indexOf('=');
            if (dot <= 0 || eq < dot + 2) {
                return null;
            }
            return new Param(s.substring(0, dot).replace('-', '_'), s.substring(dot + 1, eq), s.substring(eq + 1));
        }
    }

    public OpSource {
        modules = List.copyOf(modules);
        points = List.copyOf(points);
        vmTypes = List.copyOf(vmTypes);
        params = List.copyOf(params);
        if (maxVms < 1) {
            throw new IllegalArgumentException("the bound on open VMs must be positive, not " + maxVms);
        }
    }

    public OpSource(List<String> modules, List<String> points, List<Long> vmTypes, List<Param> params,
            boolean forced, Vmm vmm, boolean rawStops) {
        this(modules, points, vmTypes, params, forced, vmm, rawStops, DEFAULT_MAX_VMS);
    }

    public OpSource(List<String> modules, List<String> points, List<Long> vmTypes, List<Param> params,
            boolean forced) {
        this(modules, points, vmTypes, params, forced, null, false);
    }

    public OpSource(List<String> modules, List<String> points, List<Long> vmTypes) {
        this(modules, points, vmTypes, List.of(), false);
    }

    public List<Op> applicable(State s) {
        List<Op> out = new ArrayList<>();
        var loaded = s.loadedNames();
        for (String m : modules) {
            out.add(loaded.contains(m) ? Op.unload(m) : Op.load(m));
        }
        for (Param p : params) {
            if (modules.contains(p.module())) {
                out.add(loaded.contains(p.module()) ? Op.writeParam(p.module(), p.name(), p.value())
                        : Op.loadWith(p.module(), p.name(), p.value()));
            }
        }
        if (forced) {
            modules.stream().filter(loaded::contains).forEach(m -> out.add(Op.forceUnload(m)));
        }
        if (rawStops) {
            modules.stream().filter(loaded::contains).forEach(m -> out.add(Op.rawStop(m)));
            // a bundle exists once its file was loaded: those of the modules tried that went
            modules.stream().filter(s.gone()::contains).forEach(m -> out.add(Op.rawStart(m)));
        }
        if (s.armed().isEmpty()) {
            points.forEach(p -> out.add(Op.arm(p)));
        }
        if (s.devices().contains("kvm") && s.vms().size() < maxVms) {
            vmTypes.forEach(t -> out.add(Op.vmCreate(t)));
        }
        if (!s.vms().isEmpty()) {
            out.add(Op.vmDestroy());
        }
        if (vmm != null) {
            if (s.vmm().isEmpty()) {
                if (s.devices().contains("kvm")) {
                    vmm.createOptions().forEach(o -> out.add(Op.vmmCreate(o)));
                }
            } else {
                if (s.vmmVcpus() < vmm.maxVcpus()) {
                    out.add(Op.vcpuCreate());
                }
                vmm.workloads().forEach(w -> out.add(Op.vmRun(w)));
                if (vmm.pvLock() && s.vmmOptions().equals("--irqchip") && s.vmmVcpus() >= 2) {
                    out.add(Op.pvLock());
                }
                out.add(Op.vmmDestroy());
            }
        }
        return out;
    }
}
