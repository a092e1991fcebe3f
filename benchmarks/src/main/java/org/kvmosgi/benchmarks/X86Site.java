package org.kvmosgi.benchmarks;

import org.kvmosgi.kernel.api.host.Host;
import org.kvmosgi.kernel.testkit.TestKernel;
import org.kvmosgi.kvm.x86.Kvms;
import org.kvmosgi.kvmtool.guest.Workload;
import org.kvmosgi.kvmtool.vmm.Vm;

/**
 * How many vendors (and exit handlers) a call site on the exit path has seen before it is
 * measured, which is what the JIT's type profile, and so its inlining, depends on. Each
 * ends with kvm_amd loaded on the x86-lab host (a CPU with both VMX and SVM), so that the
 * three measure the same code and differ only in what the JVM saw before.
 */
enum X86Site {
    /** Only kvm_amd was ever loaded, only the measured workload ever ran: one receiver per site. */
    MONO("mono"),
    /** kvm_intel ran the workload, was unloaded, then kvm_amd: two receivers at the core's ops sites. */
    BIMORPHIC("bimorphic"),
    /** Both vendors ran every workload of {@link #MIX}: the exit-handler tables' sites see many receivers. */
    MEGAMORPHIC("megamorphic");

    /** The kvm-unit-tests vmexit workloads that exit once per loop body on both vendors. */
    static final Workload[] MIX = {Workload.CPUID, Workload.VMCALL, Workload.MOV_TO_CR8, Workload.INL_FROM_KERNEL,
        Workload.INL_FROM_QEMU, Workload.OUTL_TO_KERNEL, Workload.RD_TSC_ADJUST_MSR, Workload.WR_TSC_ADJUST_MSR,
        Workload.INL_FROM_PMTIMER};
    /** Runs of each warm-up workload: enough that C1 profiles and C2 compiles with the profile. */
    private static final int WARM_RUNS = 40;

    final String id;

    X86Site(String id) {
        this.id = id;
    }

    static X86Site byId(String id) {
        for (X86Site s : values()) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown site " + id);
    }

    /**
     * A kernel with kvm (kvm.dispatch={@code style}) and kvm_amd loaded, after the warm-up
     * this site calls for. The caller creates the measured VM.
     */
    TestKernel boot(String style, Workload measured, int iterations) throws Exception {
        Host lab = Kvms.lab();
        TestKernel k = Kvms.kernel(lab);
        check("kvm dispatch=" + style, Kvms.loadKvm(k, style));
        Workload[] warm = this == MEGAMORPHIC ? MIX : new Workload[] {measured};
        if (this != MONO) {
            check("kvm_intel", Kvms.loadIntel(k));
            warm(k, warm, iterations);
            check("rmmod kvm_intel", k.unload("kvm_intel"));
        }
        check("kvm_amd", Kvms.loadAmd(k));
        if (this == MEGAMORPHIC) {
            warm(k, warm, iterations);
        }
        return k;
    }

    private static void warm(TestKernel k, Workload[] workloads, int iterations) throws Exception {
        try (Vm vm = Vm.create(k.syscalls(), "warm", 1, Vm.DEFAULT_MEM, true)) {
            for (Workload w : workloads) {
                Vm.Loaded l = vm.load(w, iterations, 0);
                for (int i = 0; i < WARM_RUNS; i++) {
                    l.run();
                }
            }
        }
    }

    private static void check(String what, int r) {
        if (r != 0) {
            throw new IllegalStateException(what + " failed: " + r);
        }
    }
}
