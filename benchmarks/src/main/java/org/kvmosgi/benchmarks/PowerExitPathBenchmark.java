package org.kvmosgi.benchmarks;

import java.util.concurrent.TimeUnit;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kvm.api.KvmStat;
import org.kvmosgi.kvm.api.dispatch.Dispatch;
import org.kvmosgi.kvm.api.ppc.KvmPpc;
import org.kvmosgi.kvm.ppc.PpcKernels;
import org.kvmosgi.kvmtool.guest.Arch;
import org.kvmosgi.kvmtool.guest.PpcWorkload;
import org.kvmosgi.kvmtool.vmm.Vm;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * ns per exit of a PAPR guest on POWER8, on a VM of type {@code vm} (KVM_VM_PPC_HV or
 * KVM_VM_PPC_PR), with kvm loaded with {@code kvm.dispatch=style}. {@code mono}: only that
 * VM type's module is loaded (one implementation of kvmppc_ops exists); {@code bimorphic}:
 * kvm_hv and kvm_pr are both loaded and a VM of the other type ran the workload first, so
 * kvm.ko's call sites have seen both modules. Every exit of these workloads goes to the
 * VMM and back (KVM_EXIT_PAPR_HCALL, KVM_EXIT_MMIO): one KVM_RUN, one vcpu_run call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 400, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 400, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
public class PowerExitPathBenchmark {
    static final int ITERATIONS = 1000;
    /** Exits per invocation: one per loop body, one for the H_RTAS power-off. */
    static final int EXITS = ITERATIONS + 1;
    private static final int WARM_RUNS = 40;

    @Param({"hcall", "mmio_write", "mmio_read"})
    public String workload;

    @Param({"hv", "pr"})
    public String vm;

    @Param({"mono", "bimorphic"})
    public String site;

    @Param({"ops", "static_call", "direct"})
    public String style;

    private Vm guest;
    private Vm.Loaded loaded;

    @Setup(Level.Trial)
    public void boot() throws Exception {
        PpcWorkload w = PpcWorkload.valueOf(workload.toUpperCase(java.util.Locale.ROOT));
        long type = type(vm);
        Dispatch d = Dispatch.parse(style, null);
        if (d == null) {
            throw new IllegalArgumentException(Dispatch.invalid(style));
        }
        Syscalls sys;
        if ("bimorphic".equals(site)) {
            sys = PpcKernels.hvAndPr(d);
            long other = type == KvmPpc.KVM_VM_PPC_HV ? KvmPpc.KVM_VM_PPC_PR : KvmPpc.KVM_VM_PPC_HV;
            try (Vm warm = Vm.create(sys, "warm", 1, Vm.DEFAULT_MEM, false, Arch.PPC64LE, other)) {
                Vm.Loaded l = warm.load(w, ITERATIONS, 0);
                for (int i = 0; i < WARM_RUNS; i++) {
                    l.run();
                }
            }
        } else if ("mono".equals(site)) {
            sys = PpcKernels.only(type == KvmPpc.KVM_VM_PPC_HV, d);
        } else {
            throw new IllegalArgumentException("unknown site " + site);
        }
        guest = Vm.create(sys, "bench", 1, Vm.DEFAULT_MEM, false, Arch.PPC64LE, type);
        loaded = guest.load(w, ITERATIONS, 0);
        loaded.run();
        long[] before = guest.stats();
        loaded.run();
        long exits = guest.stats()[KvmStat.EXITS] - before[KvmStat.EXITS];
        if (exits != EXITS) {
            throw new IllegalStateException(workload + " made " + exits + " exits per run, not " + EXITS);
        }
    }

    private static long type(String vm) {
        switch (vm) {
            case "hv": return KvmPpc.KVM_VM_PPC_HV;
            case "pr": return KvmPpc.KVM_VM_PPC_PR;
            default: throw new IllegalArgumentException("unknown VM type " + vm);
        }
    }

    @TearDown(Level.Trial)
    public void shutdown() {
        guest.close();
    }

    @Benchmark
    @OperationsPerInvocation(EXITS)
    public long exit() throws Vm.VmmException {
        return loaded.run();
    }
}
