package org.kvmosgi.kvmtool.command;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.felix.service.command.CommandSession;
import org.kvmosgi.console.api.CommandFailure;
import org.kvmosgi.console.api.Sigint;
import org.kvmosgi.kvm.api.KvmStat;
import org.kvmosgi.kvmtool.guest.Arch;
import org.kvmosgi.kvmtool.guest.PpcWorkload;
import org.kvmosgi.kvmtool.guest.Workload;
import org.kvmosgi.kvmtool.vmm.Vm;

/**
 * {@code vm run [--workload W] [--iterations N] [--vcpu I] [--nmi K] [--timeout MS] NAME}: runs a guest
 * workload on one vCPU and prints its exits, exits/s and ns per exit. The workloads are the VM's
 * architecture's: kvm-unit-tests' on x86 (default cpuid), hcall/mmio_write/mmio_read on PowerPC
 * (default hcall). A signal (Ctrl-C, or the VMM's own timer after {@code --timeout}, as
 * kvm-unit-tests' runner sends one) ends KVM_RUN with -EINTR and the run with it.
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
        execute(null, out, args);
    }

    /**
     * As {@link #execute(PrintStream, String...)}; Ctrl-C in {@code session} signals the
     * vCPU's thread, as the VMM's SIGINT handler does, and the run reports how it ended.
     */
    public void execute(CommandSession session, PrintStream out, String... args) {
        String workload = null;
        int iterations = 100_000;
        int vcpu = 0;
        int nmis = 0;
        int timeoutMs = 0;
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
            } else if (a.equals("--timeout")) {
                timeoutMs = Kvmtool.intArg(a, i + 1 < args.length ? args[++i] : "");
                if (timeoutMs < 1) {
                    throw Kvmtool.fail("invalid value for --timeout: '" + timeoutMs + "' (milliseconds, at least 1)");
                }
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
            boolean timedOut = false;
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
                Thread vcpuThread = Thread.currentThread();
                if (session != null) {
                    session.put(Sigint.HANDLER, (Runnable) vcpuThread::interrupt);
                }
                try (Alarm alarm = timeoutMs > 0 ? new Alarm(timeoutMs) : null) {
                    r = vm.run(w, iterations, vcpu, nmis);
                    timedOut = alarm != null && alarm.fired();
                } finally {
                    if (session != null) {
                        session.put(Sigint.HANDLER, null);
                    }
                }
            }
            long exits = r.exits();
            double secs = r.nanos / 1e9;
            out.printf("%s: %s x %d: %d exits (%d to user space) in %.3f s%s%n", vm.name, id, iterations, exits, r.runs, secs,
                    r.signal ? ", stopped by a signal" : "");
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
            if (r.signal) {
                // the status a shell reports for a command ended by SIGINT, or timeout(1)'s
                throw new CommandFailure("vm: " + vm.name + ": " + (timedOut ? "--timeout " + timeoutMs + " ms: " : "")
                        + "KVM_RUN: Interrupted system call (exit reason KVM_EXIT_INTR)"
                        + (r.halted ? "; vCPU " + vcpu + " was halted with interrupts disabled, which only a signal ends" : ""),
                        timedOut ? 124 : 130);
            }
        } catch (Vm.VmmException e) {
            throw Kvmtool.fail(e);
        }
    }

    /**
     * The VMM's timer for {@code --timeout}: after the time, a signal to the vCPU's thread
     * (the model's signal is the thread's interrupt), unless the run ended first.
     */
    private static final class Alarm implements AutoCloseable {
        private final Thread vcpu = Thread.currentThread();
        private final Thread timer;
        private boolean done;
        private boolean fired;

        Alarm(int ms) {
            timer = new Thread(() -> {
                try {
                    Thread.sleep(ms);
                } catch (InterruptedException e) {
                    return;
                }
                synchronized (this) {
                    if (!done) {
                        fired = true;
                        vcpu.interrupt();
                    }
                }
            }, "vm run --timeout");
            timer.setDaemon(true);
            timer.start();
        }

        synchronized boolean fired() {
            return fired;
        }

        @Override
        public void close() {
            synchronized (this) {
                done = true;
                if (fired) {
                    // the VMM's handler took the signal, whether or not it still met KVM_RUN
                    Thread.interrupted();
                }
            }
            timer.interrupt();
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
