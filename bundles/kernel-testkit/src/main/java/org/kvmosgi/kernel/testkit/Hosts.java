package org.kvmosgi.kernel.testkit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.kvmosgi.kernel.api.host.Cpu;
import org.kvmosgi.kernel.api.host.Host;
import org.kvmosgi.kernel.host.HostProfiles;
import org.kvmosgi.kernel.host.HostProfiles.SimCpu;
import org.kvmosgi.kernel.host.HostProfiles.SimHost;

/**
 * The machines a module's unit tests run it on: the platform's own host profiles (the
 * kernel's {@link HostProfiles}, what {@code ./kvmsh --host NAME} boots), and the variants a
 * test needs that no profile is, made of the same classes: one CPU without a flag, a
 * machine of the test's own.
 */
public final class Hosts {
    private Hosts() {}

    /** The profile {@code ./kvmsh --host name} boots. */
    public static Host profile(String name) {
        Host h = HostProfiles.get(name);
        if (h == null) {
            throw new IllegalArgumentException("no host profile " + name + "; the kernel has "
                    + HostProfiles.all().stream().map(Host::profile).toList());
        }
        return h;
    }

    /**
     * A machine no profile is: {@code n} CPUs with the same flags. The architecture follows the
     * vendor, as /proc/cpuinfo's vendor_id does ({@code IBM}: ppc64le, else x86_64).
     */
    public static Host of(String profile, String vendor, int n, String... flags) {
        List<Cpu> cpus = new ArrayList<>();
        Set<String> f = Collections.unmodifiableSet(new TreeSet<>(List.of(flags)));
        for (int i = 0; i < n; i++) {
            cpus.add(new SimCpu(i, "kvm-osgi test CPU", f));
        }
        String arch = vendor.equals("IBM") ? "ppc64le" : "x86_64";
        return new SimHost(profile, profile + ": a test's own machine", arch, vendor, List.copyOf(cpus), List.of());
    }

    /** The same machine with CPU {@code cpu} lacking {@code flag} (mixed steppings, a flag the BIOS hid). */
    public static Host without(Host h, int cpu, String flag) {
        List<Cpu> cpus = new ArrayList<>();
        for (Cpu c : h.cpus()) {
            Set<String> f = new TreeSet<>(c.flags());
            if (c.id() == cpu) {
                f.remove(flag);
            }
            cpus.add(new SimCpu(c.id(), c.model(), Collections.unmodifiableSet(f)));
        }
        return new SimHost(h.profile(), h.description(), h.arch(), h.cpuVendor(), List.copyOf(cpus),
                h instanceof SimHost s ? s.bootMessages() : List.of());
    }
}
