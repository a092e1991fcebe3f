package org.kvmosgi.kvmtool.command;

import java.io.PrintStream;
import org.kvmosgi.kvmtool.vmm.Vm;

/**
 * {@code vm vcpu NAME [ID]}: KVM_CREATE_VCPU on a running VM (the next free ID by
 * default). KVM has no call to destroy one vCPU: vCPUs go with their VM.
 */
public final class VmVcpu {
    private final Kvmtool tool;

    public VmVcpu(Kvmtool tool) {
        this.tool = tool;
    }

    public void vcpu(String... args) {
        execute(System.out, args);
    }

    public void execute(PrintStream out, String... args) {
        if (args.length < 1 || args.length > 2) {
            throw Kvmtool.fail("usage: vm vcpu NAME [ID]");
        }
        Vm vm = tool.vm(args[0]);
        int id = args.length == 2 ? Kvmtool.intArg("ID", args[1]) : vm.vcpuCount();
        try {
            vm.addVcpu(id);
            out.printf("%s: vCPU %d created (%d vCPUs)%n", vm.name, id, vm.vcpuCount());
        } catch (Vm.VmmException e) {
            throw Kvmtool.fail(e);
        }
    }
}
