package org.kvmosgi.kvmtool.command;

import java.io.PrintStream;
import org.kvmosgi.kvm.api.ppc.KvmPpc;
import org.kvmosgi.kvmtool.guest.Arch;
import org.kvmosgi.kvmtool.vmm.Vm;

/**
 * {@code vm create [--vcpus N] [--mem KiB] [--irqchip] [--type hv|pr|N] [NAME]}: opens /dev/kvm
 * and creates a VM. {@code --type} is KVM_CREATE_VM's machine type: on PowerPC {@code hv} (1)
 * or {@code pr} (2); 0, the default, lets the kernel choose.
 */
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
        String typeArg = null;
        String name = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--vcpus") || a.equals("-c")) {
                vcpus = Kvmtool.intArg(a, value(args, ++i, a));
            } else if (a.equals("--mem") || a.equals("-m")) {
                mem = Kvmtool.intArg(a, value(args, ++i, a)) * 1024;
            } else if (a.equals("--type") || a.equals("-t")) {
                typeArg = value(args, ++i, a);
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
        Arch arch = tool.arch();
        long type = type(typeArg, arch);
        if (arch == Arch.PPC64LE) {
            // memory slots are whole 64K pages on ppc64; a smaller size fails in the kernel
            if (mem < arch.memUnit() || mem % arch.memUnit() != 0) {
                throw Kvmtool.fail("invalid value for --mem: guest RAM must be a multiple of 64 KiB on ppc64");
            }
        } else if (mem < 8192 || mem % 4096 != 0) {
            throw Kvmtool.fail("invalid value for --mem: guest RAM must be a multiple of 4 KiB, at least 8 KiB");
        }
        if (irqchip && arch != Arch.X86_64) {
            throw Kvmtool.fail("--irqchip is the x86 in-kernel PIC/IOAPIC; this is " + arch.machine());
        }
        if (name == null) {
            name = tool.vms.newName();
        } else if (tool.vms.contains(name)) {
            throw Kvmtool.fail("VM '" + name + "' already exists");
        }
        try {
            Vm vm = Vm.create(tool.sys(), name, vcpus, mem, irqchip, arch, type);
            tool.vms.put(vm);
            out.printf("%s: %d vCPU%s, %d KiB%s%s%n", name, vcpus, vcpus == 1 ? "" : "s", mem / 1024,
                    irqchip ? ", in-kernel irqchip" : "", typeArg != null ? ", type " + typeArg : "");
        } catch (Vm.VmmException e) {
            throw Kvmtool.fail(e);
        }
    }

    /** KVM_CREATE_VM's type: hv and pr are PowerPC's names; a number is passed as it is. */
    private static long type(String arg, Arch arch) {
        if (arg == null) {
            return 0;
        }
        if (arg.equals("hv") || arg.equals("pr")) {
            if (arch != Arch.PPC64LE) {
                throw Kvmtool.fail("--type " + arg + " is a PowerPC VM type; this is " + arch.machine());
            }
            return arg.equals("hv") ? KvmPpc.KVM_VM_PPC_HV : KvmPpc.KVM_VM_PPC_PR;
        }
        int t = Kvmtool.intArg("--type", arg);
        if (t < 0) {
            throw Kvmtool.fail("invalid value for --type: '" + arg + "'");
        }
        return t;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw Kvmtool.fail("option '" + option + "' needs a value");
        }
        return args[i];
    }
}
