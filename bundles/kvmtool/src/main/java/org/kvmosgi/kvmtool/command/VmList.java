package org.kvmosgi.kvmtool.command;

import java.io.PrintStream;
import org.kvmosgi.kvmtool.vmm.Vm;

/** {@code vm list}: the VMs this VMM holds, as {@code lkvm list} prints its instances. */
public final class VmList {
    private final Kvmtool tool;

    public VmList(Kvmtool tool) {
        this.tool = tool;
    }

    public void list(String... args) {
        execute(System.out, args);
    }

    public void execute(PrintStream out, String... args) {
        if (args.length > 0) {
            throw Kvmtool.fail("unexpected argument '" + args[0] + "'");
        }
        out.printf("%-12s %5s %8s %6s %8s%n", "NAME", "VCPUS", "MEM(KiB)", "VM_FD", "IRQCHIP");
        for (Vm vm : tool.vms.all()) {
            out.printf("%-12s %5d %8d %6d %8s%n", vm.name, vm.vcpuCount(), vm.memBytes() / 1024, vm.vmFd(),
                    vm.irqchip() ? "kernel" : "user");
        }
    }
}
