package org.kvmosgi.kvmtool.command;

import java.util.Arrays;

/** {@code vm SUBCOMMAND ...}: the spelling users type, dispatched to the per-command classes. */
public final class VmCommand {
    private final VmCreate create;
    private final VmRun run;
    private final VmList list;
    private final VmStat stat;
    private final VmDestroy destroy;
    private final VmVcpu vcpu;

    public VmCommand(Kvmtool tool) {
        create = new VmCreate(tool);
        run = new VmRun(tool);
        list = new VmList(tool);
        stat = new VmStat(tool);
        destroy = new VmDestroy(tool);
        vcpu = new VmVcpu(tool);
    }

    public void vm(String... args) {
        if (args.length == 0) {
            throw Kvmtool.fail("usage: vm create|vcpu|run|list|stat|destroy ...");
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "create": create.execute(System.out, rest); break;
            case "run": run.execute(System.out, rest); break;
            case "list": list.execute(System.out, rest); break;
            case "stat": stat.execute(System.out, rest); break;
            case "destroy": destroy.execute(System.out, rest); break;
            case "vcpu": vcpu.execute(System.out, rest); break;
            default: throw Kvmtool.fail("unknown command '" + args[0] + "'");
        }
    }

    VmCreate create() { return create; }
    VmRun run() { return run; }
    VmList list() { return list; }
    VmStat stat() { return stat; }
    VmDestroy destroy() { return destroy; }
    VmVcpu vcpu() { return vcpu; }
}
