package org.kvmosgi.kernel.api.host;

import java.util.Set;

/** One CPU of the host: its number, model and feature/firmware flags. */
public interface Cpu {
    int id();

    String model();

    /** Feature and firmware flags, named as in {@link CpuFlags}. */
    Set<String> flags();

    default boolean has(String flag) {
        return flags().contains(flag);
    }
}
