package org.kvmosgi.kvmtool.guest;

/**
 * The host architecture kvmtool drives, from {@code uname -m} (the kernel's
 * /proc/sys/kernel/arch): it decides the register structure, the workloads and how a
 * run ends, as kvmtool's x86/ and powerpc/ directories do.
 */
public enum Arch {
    X86_64("x86_64"),
    PPC64LE("ppc64le");

    /** The file uname -m reads. */
    public static final String PROC_ARCH = "/proc/sys/kernel/arch";

    private final String machine;

    Arch(String machine) {
        this.machine = machine;
    }

    /** uname -m's spelling. */
    public String machine() {
        return machine;
    }

    /** The architecture named by {@code uname -m}'s output, or null if kvmtool has no support for it. */
    public static Arch of(String machine) {
        String m = machine.trim();
        for (Arch a : values()) {
            if (a.machine.equals(m)) {
                return a;
            }
        }
        return null;
    }

    /** Guest RAM comes in units of the host's page size: 64 KiB on ppc64, 4 KiB on x86. */
    public int memUnit() {
        return this == PPC64LE ? 64 * 1024 : 4096;
    }
}
