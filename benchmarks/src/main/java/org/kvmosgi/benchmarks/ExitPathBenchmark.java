package org.kvmosgi.benchmarks;

import java.util.concurrent.TimeUnit;
import org.kvmosgi.kvm.api.KvmStat;
import org.kvmosgi.kernel.testkit.TestKernel;
import org.kvmosgi.kvmtool.guest.Workload;
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
 * ns per VM exit of kvm-unit-tests' vmexit workloads, through the whole path: the VMM's
 * KVM_RUN, the core's run loop, the vendor's vcpu_run and handle_exit, its exit handler,
 * the core export it calls back, and back to the guest (or to user space and back, for
 * the exits the VMM answers). One operation is one exit: an invocation runs the guest
 * loop of {@link #ITERATIONS} bodies plus the final isa-debug-exit, each body exiting
 * once (checked at setup).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 400, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 400, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
public class ExitPathBenchmark {
    static final int ITERATIONS = 1000;
    /** Exits per invocation: one per loop body, one for isa-debug-exit. */
    static final int EXITS = ITERATIONS + 1;

    /** How core and vendor call each other on the exit path (kvm.dispatch=). */
    @Param({"ops", "static_call", "direct"})
    public String style;

    @Param({"cpuid", "vmcall", "mov_to_cr8", "inl_from_kernel", "inl_from_qemu"})
    public String workload;

    /** What the call sites saw before: {@link X86Site}. */
    @Param({"mono", "bimorphic", "megamorphic"})
    public String site;

    private TestKernel kernel;
    private Vm vm;
    private Vm.Loaded loaded;

    @Setup(Level.Trial)
    public void boot() throws Exception {
        Workload w = Workload.byId(workload);
        if (w == null) {
            throw new IllegalArgumentException("unknown workload " + workload);
        }
        kernel = X86Site.byId(site).boot(style, w, ITERATIONS);
        vm = Vm.create(kernel.syscalls(), "bench", 1, Vm.DEFAULT_MEM, true);
        loaded = vm.load(w, ITERATIONS, 0);
        loaded.run(); // the first run may differ (kvm_amd patches VMCALL to VMMCALL once)
        long[] before = vm.stats();
        loaded.run();
        long exits = vm.stats()[KvmStat.EXITS] - before[KvmStat.EXITS];
        if (exits != EXITS) {
            throw new IllegalStateException(workload + " made " + exits + " exits per run, not " + EXITS);
        }
    }

    @TearDown(Level.Trial)
    public void shutdown() {
        vm.close();
    }

    @Benchmark
    @OperationsPerInvocation(EXITS)
    public long exit() throws Vm.VmmException {
        return loaded.run();
    }
}
