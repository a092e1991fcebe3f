package org.kvmosgi.kvmtool.command;

import java.io.PrintStream;
import org.kvmosgi.kvmtool.vmm.Vm;

/** {@code vm create [--vcpus N] [--mem KiB] [--irqchip] [NAME]}: opens /dev/kvm and creates a VM. */
public final class VmCreate {
    private final Kvmtool tool;

    public VmCreate(Kvmtool tool) {
        this.tool = tool;
    }

    public void create(String... args) {
        execute(System.out, args);
    }

    public void execute(PrintStream out, String... args) {
        int vcpus = 1;
        int mem = Vm.DEFAULT_MEM;
        boolean irqchip = false;
        String name = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--vcpus") || a.equals("-c")) {
                vcpus = Kvmtool.intArg(a, value(args, ++i, a));
            } else if (a.equals("--mem") || a.equals("-m")) {
                mem = Kvmtool.intArg(a, value(args, ++i, a)) * 1024;
            } else if (a.equals("--irqchip")) {
                irqchip = true;
            } else if (a.startsWith("-")) {
                throw Kvmtool.fail("unknown option '" + a + "'");
            } else if (name == null) {
                name = a;
            } else {
                throw Kvmtool.fail("unexpected argument '" + a + "'");
            }
        }
        if (vcpus < 1) {
            throw Kvmtool.fail("invalid value for --vcpus: '" + vcpus + "'");
        }
        if (mem < 8192 || mem % 4096 != 0) {
            throw Kvmtool.fail("invalid value for --mem: guest RAM must be a multiple of 4 KiB, at least 8 KiB");
        }
        if (name == null) {
            name = tool.vms.newName();
        } else if (tool.vms.contains(name)) {
            throw Kvmtool.fail("VM '" + name + "' already exists");
        }
        try {
            Vm vm = Vm.create(tool.sys(), name, vcpus, mem, irqchip);
            tool.vms.put(vm);
            out.printf("%s: %d vCPU%s, %d KiB%s%n", name, vcpus, vcpus == 1 ? "" : "s", mem / 1024,
                    irqchip ? ", in-kernel irqchip" : "");
        } catch (Vm.VmmException e) {
            throw Kvmtool.fail(e);
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw Kvmtool.fail("option '" + option + "' needs a value");
        }
        return args[i];
    }
}
