package org.kvmosgi.kernel.host;

import static org.kvmosgi.kernel.api.host.CpuFlags.ARCH_3_00;
import static org.kvmosgi.kernel.api.host.CpuFlags.EPT;
import static org.kvmosgi.kernel.api.host.CpuFlags.FEAT_CTL_VMX_ENABLED;
import static org.kvmosgi.kernel.api.host.CpuFlags.HPT;
import static org.kvmosgi.kernel.api.host.CpuFlags.HVMODE;
import static org.kvmosgi.kernel.api.host.CpuFlags.NPT;
import static org.kvmosgi.kernel.api.host.CpuFlags.RADIX;
import static org.kvmosgi.kernel.api.host.CpuFlags.SVM;
import static org.kvmosgi.kernel.api.host.CpuFlags.TLBIE;
import static org.kvmosgi.kernel.api.host.CpuFlags.VMX;
import static org.kvmosgi.kernel.api.host.CpuFlags.VMX_PREEMPTION_TIMER;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntFunction;
import org.kvmosgi.kernel.api.host.Cpu;
import org.kvmosgi.kernel.api.host.Host;

/**
 * The machines the kernel can boot on. A profile gives every CPU its own flags, so a
 * profile can have one odd CPU, as real multi-socket machines sometimes do.
 */
public final class HostProfiles {
    public static final String DEFAULT = "intel";

    private static final Map<String, Host> PROFILES = new LinkedHashMap<>();
    /** Feature flags named as /proc/cpuinfo names them; kvm-api's X86CpuFlags uses the same words. */
    private static final String VPID = "vpid";
    private static final String TPR_SHADOW = "tpr_shadow";
    private static final String NRIP_SAVE = "nrip_save";
    /** POWER: the hypervisor below offers the nested-HV hcalls (H_SET_PARTITION_TABLE...). */
    private static final String PAPR_NESTED_HV = "papr_nested_hv";

    static {
        add(x86("intel", "Intel Xeon, 4 CPUs, VT-x enabled by the BIOS", "GenuineIntel",
                "Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz", 4,
                cpu -> flags(VMX, FEAT_CTL_VMX_ENABLED, VMX_PREEMPTION_TIMER, EPT, VPID, TPR_SHADOW)));
        add(x86("amd", "AMD EPYC, 4 CPUs, AMD-V enabled", "AuthenticAMD",
                "AMD EPYC 7302 16-Core Processor", 4, cpu -> flags(SVM, NPT, NRIP_SAVE)));
        add(x86("intel-vmx-off", "Intel Xeon, 4 CPUs, VT-x left disabled by the BIOS", "GenuineIntel",
                "Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz", 4,
                cpu -> flags(VMX, VMX_PREEMPTION_TIMER, EPT, VPID, TPR_SHADOW)));
        // since v6.7 the CPU setup code clears SVM from the features when the BIOS locked it off
        add(new SimHost("amd-svm-off", "AMD EPYC, 4 CPUs, AMD-V disabled by the BIOS", "x86_64", "AuthenticAMD",
                cpus(4, "AMD EPYC 7302 16-Core Processor", cpu -> flags(NPT, NRIP_SAVE)),
                List.of("SVM disabled (by BIOS) in MSR_VM_CR")));
        add(x86("intel-inconsistent", "Intel Xeon, 4 CPUs, CPU 2 has no VMX preemption timer (mixed steppings)",
                "GenuineIntel", "Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz", 4,
                cpu -> cpu == 2 ? flags(VMX, FEAT_CTL_VMX_ENABLED, EPT, VPID, TPR_SHADOW)
                        : flags(VMX, FEAT_CTL_VMX_ENABLED, VMX_PREEMPTION_TIMER, EPT, VPID, TPR_SHADOW)));
        add(x86("intel-no-vmx", "Intel Atom without VT-x, 2 CPUs", "GenuineIntel",
                "Intel(R) Atom(TM) CPU D2550 @ 1.86GHz", 2, cpu -> flags()));
        add(x86("intel-no-preemption-timer", "Intel Xeon, 4 CPUs, VT-x on, no usable VMX preemption timer",
                "GenuineIntel", "Intel(R) Xeon(R) CPU E5-2680 v2 @ 2.80GHz", 4,
                cpu -> flags(VMX, FEAT_CTL_VMX_ENABLED, EPT, VPID, TPR_SHADOW)));
        // an AMD vendor string, so that kvm_amd's vendor check passes; kvm_intel checks only VMX
        add(x86("x86-lab", "Lab machine that real hardware never is: every CPU has both VT-x and AMD-V",
                "AuthenticAMD", "kvm-osgi lab CPU", 4,
                cpu -> flags(VMX, FEAT_CTL_VMX_ENABLED, VMX_PREEMPTION_TIMER, EPT, VPID, TPR_SHADOW, SVM, NPT,
                        NRIP_SAVE)));
        add(new SimHost("power8", "IBM POWER8 bare metal (hypervisor mode, HPT MMU), 4 CPUs", "ppc64le", "IBM",
                cpus(4, "POWER8 (raw), altivec supported", cpu -> flags(HVMODE, TLBIE, HPT)), List.of()));
        add(new SimHost("power9", "IBM POWER9 bare metal (hypervisor mode, radix MMU), 4 CPUs", "ppc64le", "IBM",
                cpus(4, "POWER9 (raw), altivec supported", cpu -> flags(HVMODE, TLBIE, RADIX, ARCH_3_00)),
                List.of()));
        add(new SimHost("power9-guest", "IBM POWER9 LPAR guest (no hypervisor mode, radix MMU), 4 CPUs",
                "ppc64le", "IBM",
                cpus(4, "POWER9 (architected), altivec supported", cpu -> flags(TLBIE, RADIX, ARCH_3_00)),
                List.of()));
        add(new SimHost("power9-guest-nested",
                "IBM POWER9 guest whose hypervisor offers nested KVM-HV (no hypervisor mode, radix MMU), 4 CPUs",
                "ppc64le", "IBM", cpus(4, "POWER9 (architected), altivec supported",
                        cpu -> flags(TLBIE, RADIX, ARCH_3_00, PAPR_NESTED_HV)), List.of()));
        add(new SimHost("power9-guest-hpt",
                "IBM POWER9 LPAR guest in HPT mode (no hypervisor mode): where KVM-PR is the one that works, 4 CPUs",
                "ppc64le", "IBM",
                cpus(4, "POWER9 (architected), altivec supported", cpu -> flags(TLBIE, HPT, ARCH_3_00)), List.of()));
        add(new SimHost("power9-no-tlbie",
                "IBM POWER9 bare metal with TLBIE unusable (hypervisor mode, radix MMU), 4 CPUs", "ppc64le", "IBM",
                cpus(4, "POWER9 (raw), altivec supported", cpu -> flags(HVMODE, RADIX, ARCH_3_00)), List.of()));
    }

    private HostProfiles() {}

    private static void add(Host host) {
        PROFILES.put(host.profile(), host);
    }

    /** The profile of that name, or null. */
    public static Host get(String name) {
        return PROFILES.get(name);
    }

    /** All profiles, in the order they are listed to users. */
    public static List<Host> all() {
        return List.copyOf(PROFILES.values());
    }

    private static Host x86(String name, String description, String vendor, String model, int n,
            IntFunction<Set<String>> flags) {
        return new SimHost(name, description, "x86_64", vendor, cpus(n, model, flags), List.of());
    }

    private static List<Cpu> cpus(int n, String model, IntFunction<Set<String>> flags) {
        List<Cpu> cpus = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            cpus.add(new SimCpu(i, model, flags.apply(i)));
        }
        return Collections.unmodifiableList(cpus);
    }

    private static Set<String> flags(String... flags) {
        return Collections.unmodifiableSet(new TreeSet<>(List.of(flags)));
    }

    /**
     * A host built from a profile. {@code bootMessages} are what the kernel's own CPU
     * setup prints about this machine at boot.
     */
    public record SimHost(String profile, String description, String arch, String cpuVendor, List<Cpu> cpus,
            List<String> bootMessages) implements Host {}

    /** One CPU of a profile. */
    public record SimCpu(int id, String model, Set<String> flags) implements Cpu {}
}
