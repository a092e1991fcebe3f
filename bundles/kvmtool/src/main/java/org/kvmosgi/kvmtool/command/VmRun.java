package org.kvmosgi.kvmtool.command;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.kvmosgi.kvm.api.KvmStat;
import org.kvmosgi.kvmtool.guest.Arch;
import org.kvmosgi.kvmtool.guest.PpcWorkload;
import org.kvmosgi.kvmtool.guest.Workload;
import org.kvmosgi.kvmtool.vmm.Vm;

/**
 * {@code vm run [--workload W] [--iterations N] [--vcpu I] [--nmi K] NAME}: runs a guest workload on one vCPU
 * and prints its exits, exits/s and ns per exit. The workloads are the VM's architecture's:
 * kvm-unit-tests' on x86 (default cpuid), hcall/mmio_write/mmio_read on PowerPC (default hcall).
 */
public final class VmRun {
    private final Kvmtool tool;

    public VmRun(Kvmtool tool) {
        this.tool = tool;
    }

    public void run(String... args) {
        execute(System.out, args);
    }

    public void execute(PrintStream out, String... args) {
        String workload = null;
        int iterations = 100_000;
        int vcpu = 0;
        int nmis = 0;
        String name = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--workload") || a.equals("-w")) {
                workload = i + 1 < args.length ? args[++i] : "";
            } else if (a.equals("--iterations") || a.equals("-n")) {
                iterations = Kvmtool.intArg(a, i + 1 < args.length ? args[++i] : "");
            } else if (a.equals("--vcpu")) {
                vcpu = Kvmtool.intArg(a, i + 1 < args.length ? args[++i] : "");
            } else if (a.equals("--nmi")) {
                nmis = Kvmtool.intArg(a, i + 1 < args.length ? args[++i] : "");
            } else if (a.startsWith("-")) {
                throw Kvmtool.fail("unknown option '" + a + "'");
            } else if (name == null) {
                name = a;
            } else {
                throw Kvmtool.fail("unexpected argument '" + a + "'");
            }
        }
        if (nmis < 0) {
            throw Kvmtool.fail("invalid value for --nmi: '" + nmis + "'");
        }
        if (iterations < 1) {
            throw Kvmtool.fail("invalid value for --iterations: '" + iterations + "'");
        }
        Vm vm = name != null ? tool.vm(name) : only();
        int consoleBefore = vm.serialOutput().length();
        try {
            Vm.RunResult r;
            String id;
            if (vm.arch() == Arch.PPC64LE) {
                PpcWorkload w = workload == null ? PpcWorkload.HCALL : PpcWorkload.byId(workload);
                if (w == null) {
                    throw unknown(workload, Arrays.stream(PpcWorkload.values()).map(PpcWorkload::id));
                }
                id = w.id();
                if (nmis > 0) {
                    throw Kvmtool.fail("--nmi: KVM_NMI is x86's");
                }
                r = vm.run(w, iterations, vcpu);
            } else {
                Workload w = workload == null ? Workload.CPUID : Workload.byId(workload);
                if (w == null) {
                    throw unknown(workload, Arrays.stream(Workload.values()).map(Workload::id));
                }
                id = w.id();
                r = vm.run(w, iterations, vcpu, nmis);
            }
            long exits = r.exits();
            double secs = r.nanos / 1e9;
            out.printf("%s: %s x %d: %d exits (%d to user space) in %.3f s%n", vm.name, id, iterations, exits, r.runs, secs);
            out.printf("  %.0f exits/s, %d ns per exit%n", exits / Math.max(secs, 1e-9), exits == 0 ? 0 : r.nanos / exits);
            out.printf("  io_exits %d, mmio_exits %d, halt_exits %d, hypercalls %d, irq_exits %d, insn_emulation %d%n",
                    r.stats[KvmStat.IO_EXITS], r.stats[KvmStat.MMIO_EXITS], r.stats[KvmStat.HALT_EXITS],
                    r.stats[KvmStat.HYPERCALLS], r.stats[KvmStat.IRQ_EXITS], r.stats[KvmStat.INSN_EMULATION]);
            long ind = r.stats[KvmStat.INDIRECT_CALLS];
            out.printf("  indirect_calls %d, %.2f per exit%s%n", ind, exits == 0 ? 0.0 : (double) ind / exits,
                    ind == 0 ? ": no retpoline left between core and vendor" : "");
            if (vm.arch() != Arch.PPC64LE) {
                long timer = r.stats[KvmStat.IMMEDIATE_EXIT_TIMER], ipi = r.stats[KvmStat.IMMEDIATE_EXIT_IPI];
                if (timer + ipi > 0) {
                    out.printf("  immediate exits %d: %d by preemption timer 0, %d by self-IPI, nmi_injections %d%n",
                            timer + ipi, timer, ipi, r.stats[KvmStat.NMI_INJECTIONS]);
                }
            }
            if (vm.arch() == Arch.PPC64LE) {
                // the hvc console is the PAPR guest's only output: show what it wrote
                String con = vm.serialOutput().substring(consoleBefore);
                out.printf("  papr_hcalls %d, console: %d chars%s%n", r.userHcalls, con.length(),
                        con.isEmpty() ? "" : " \"" + (con.length() > 32 ? con.substring(0, 32) + "..." : con) + "\"");
            }
        } catch (Vm.VmmException e) {
            throw Kvmtool.fail(e);
        }
    }

    private static RuntimeException unknown(String id, java.util.stream.Stream<String> ids) {
        return Kvmtool.fail("unknown workload '" + id + "' (one of: " + ids.collect(Collectors.joining(", ")) + ")");
    }

    private Vm only() {
        var all = tool.vms.all();
        if (all.size() != 1) {
            throw Kvmtool.fail(all.isEmpty() ? "no VM: create one with 'vm create'" : "several VMs: name one");
        }
        return all.get(0);
    }
}
