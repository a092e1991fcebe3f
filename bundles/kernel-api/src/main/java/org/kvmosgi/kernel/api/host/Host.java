package org.kvmosgi.kernel.api.host;

import java.util.List;

/**
 * The simulated machine, chosen at boot from a named profile: architecture, vendor,
 * and per-CPU features and firmware settings, which vendor modules check.
 */
public interface Host {
    /** The profile name ({@code intel}, {@code power9}, ...). */
    String profile();

    String description();

    /** {@code x86_64} or {@code ppc64le}: what {@code uname -m} prints. */
    String arch();

    /** The CPU vendor string ({@code GenuineIntel}, {@code AuthenticAMD}, {@code IBM}). */
    String cpuVendor();

    /** The online CPUs, in order of their number. */
    List<Cpu> cpus();

    /** True when every CPU has {@code flag}. */
    default boolean allCpusHave(String flag) {
        return cpus().stream().allMatch(c -> c.has(flag));
    }
}
