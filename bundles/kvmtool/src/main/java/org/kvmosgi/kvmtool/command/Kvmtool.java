package org.kvmosgi.kvmtool.command;

import java.util.function.Supplier;
import org.kvmosgi.console.api.CommandFailure;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kvmtool.guest.Arch;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kvmtool.vmm.Vm;
import org.kvmosgi.kvmtool.vmm.VmTable;

/** What the commands share: the system calls, the VM table, and how they fail. */
public final class Kvmtool {
    final Supplier<Syscalls> syscalls;
    final VmTable vms;

    public Kvmtool(Supplier<Syscalls> syscalls, VmTable vms) {
        this.syscalls = syscalls;
        this.vms = vms;
    }

    Syscalls sys() {
        Syscalls s = syscalls.get();
        if (s == null) {
            throw fail("no kernel is running");
        }
        return s;
    }

    /** The host's architecture, as uname -m reads it; kvmtool refuses one it was not built for. */
    Arch arch() {
        String m;
        try {
            m = sys().read(Arch.PROC_ARCH);
        } catch (ErrnoException e) {
            throw fail("uname: cannot read " + Arch.PROC_ARCH + ": " + e.strerror());
        }
        Arch a = Arch.of(m);
        if (a == null) {
            throw fail("unsupported architecture '" + m.trim() + "'");
        }
        return a;
    }

    Vm vm(String name) {
        Vm vm = vms.get(name);
        if (vm == null) {
            throw fail("VM '" + name + "' not found");
        }
        return vm;
    }

    static CommandFailure fail(String message) {
        return new CommandFailure("vm: " + message);
    }

    static CommandFailure fail(Vm.VmmException e) {
        return new CommandFailure("vm: " + e.getMessage());
    }

    static int intArg(String option, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw fail("invalid value for " + option + ": '" + value + "'");
        }
    }
}
