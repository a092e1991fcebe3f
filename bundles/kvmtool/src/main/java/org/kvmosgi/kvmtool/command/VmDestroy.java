package org.kvmosgi.kvmtool.command;

import java.io.PrintStream;
import org.kvmosgi.kvmtool.vmm.Vm;

/** {@code vm destroy NAME}: closes the VM's fds; the kernel destroys it with the last one. */
public final class VmDestroy {
    private final Kvmtool tool;

    public VmDestroy(Kvmtool tool) {
        this.tool = tool;
    }

    public void destroy(String... args) {
        execute(System.out, args);
    }

    public void execute(PrintStream out, String... args) {
        if (args.length != 1) {
            throw Kvmtool.fail("usage: vm destroy NAME");
        }
        Vm vm = tool.vms.remove(args[0]);
        if (vm == null) {
            throw Kvmtool.fail("VM '" + args[0] + "' not found");
        }
        vm.close();
    }
}
