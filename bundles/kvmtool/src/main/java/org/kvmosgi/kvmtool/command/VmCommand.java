package org.kvmosgi.kvmtool.command;

import java.util.Arrays;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.kvmosgi.console.api.Words;

/** {@code vm SUBCOMMAND ...}: the spelling users type, dispatched to the per-command classes. */
public final class VmCommand {
    private final VmCreate create;
    private final VmRun run;
    private final VmList list;
    private final VmStat stat;
    private final VmDestroy destroy;
    private final VmVcpu vcpu;
    private final VmLock lock;
    private final VmDispatch dispatch;

    public VmCommand(Kvmtool tool) {
        create = new VmCreate(tool);
        run = new VmRun(tool);
        list = new VmList(tool);
        stat = new VmStat(tool);
        destroy = new VmDestroy(tool);
        vcpu = new VmVcpu(tool);
        lock = new VmLock(tool);
        dispatch = new VmDispatch(tool);
    }

    /** What {@code vm help} prints: every subcommand with its options, as kvmtool's lkvm help does. */
    static final String USAGE = String.join("\n",
            "usage: vm COMMAND [ARGS]",
            "",
            "  create [--vcpus N] [--mem KiB] [--irqchip] [--type hv|pr|N] [NAME]",
            "                      open /dev/kvm and KVM_CREATE_VM (--type: PowerPC HV or PR, default 0)",
            "  vcpu NAME [ID]      KVM_CREATE_VCPU on the VM (the next free ID by default)",
            "  run [--workload W] [--iterations N] [--vcpu I] [--nmi K] [--timeout MS] NAME",
            "                      run a guest workload; prints exits, exits/s and ns per exit",
            "                      (Ctrl-C or --timeout: a signal ends KVM_RUN with -EINTR, e.g. a halt",
            "                      with the in-kernel irqchip, which no interrupt ends)",
            "                      (--nmi: K KVM_NMIs before each KVM_RUN, x86; 2 force an immediate exit)",
            "                      (an unknown W lists the workloads of the VM's architecture)",
            "  lock [--switch stop_machine|one_by_one|no_transfer] [--switches N] [--hang-ms T] [--seed S] [--nopvspin] NAME",
            "                      vCPUs contend a pv spinlock while the VMM flips KVM_HINTS_REALTIME: the guest",
            "                      switches its lock ops (x86, --irqchip); prints switches, stopped time, the result",
            "  list                the VMs this VMM holds",
            "  stat NAME           the VM's KVM statistics",
            "  destroy NAME        close the VM's file descriptors",
            "  dispatch            how the core calls the vendor (kvm.dispatch=) and where each call site points",
            "  help                this text");

    @Descriptor("create, run and inspect VMs through /dev/kvm (vm help lists the commands)")
    public void vm(CommandSession session,
            @Descriptor("COMMAND [ARGS]: create, vcpu, run, lock, list, stat, destroy, dispatch or help") String... args) {
        args = Words.of(args);
        if (args.length == 0) {
            throw Kvmtool.fail("usage: vm create|vcpu|run|lock|list|stat|destroy|dispatch|help ...");
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "help":
            case "--help":
            case "-h":
                System.out.println(USAGE);
                break;
            case "create": create.execute(System.out, rest); break;
            case "run": run.execute(session, System.out, rest); break;
            case "list": list.execute(System.out, rest); break;
            case "stat": stat.execute(System.out, rest); break;
            case "destroy": destroy.execute(System.out, rest); break;
            case "vcpu": vcpu.execute(System.out, rest); break;
            case "lock": lock.execute(System.out, rest); break;
            case "dispatch": dispatch.execute(System.out, rest); break;
            default: throw Kvmtool.fail("unknown command '" + args[0] + "' (vm help lists them)");
        }
    }

    VmCreate create() { return create; }
    VmRun run() { return run; }
    VmList list() { return list; }
    VmStat stat() { return stat; }
    VmDestroy destroy() { return destroy; }
    VmVcpu vcpu() { return vcpu; }
    VmLock lock() { return lock; }
    VmDispatch dispatch() { return dispatch; }
}
