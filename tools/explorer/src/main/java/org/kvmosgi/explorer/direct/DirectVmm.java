package org.kvmosgi.explorer.direct;

import java.io.PrintStream;
import java.util.Arrays;
import org.kvmosgi.explorer.Op;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kvmtool.command.Kvmtool;
import org.kvmosgi.kvmtool.command.VmCreate;
import org.kvmosgi.kvmtool.command.VmDestroy;
import org.kvmosgi.kvmtool.command.VmLock;
import org.kvmosgi.kvmtool.command.VmRun;
import org.kvmosgi.kvmtool.command.VmVcpu;
import org.kvmosgi.kvmtool.vmm.VmTable;

/**
 * The VMM's {@code vm} subcommands, run by kvmtool's own command classes on a VM table of
 * this platform's own, as the kvmtool bundle holds one. A class of its own so that
 * DirectPlatform links against kvmtool only on a platform whose features have it.
 */
final class DirectVmm {
    private final VmTable vms = new VmTable();
    private final Kvmtool tool;

    DirectVmm(Syscalls sys) {
        tool = new Kvmtool(() -> sys, vms);
    }

    /** Runs {@code op}'s {@code vm SUBCOMMAND ARGS} line; a refusal is kvmtool's CommandFailure. */
    void run(Op op, PrintStream out) {
        String[] words = op.line(-1).split(" ");
        String[] args = Arrays.copyOfRange(words, 2, words.length);
        switch (op.kind()) {
            case VMM_CREATE -> new VmCreate(tool).execute(out, args);
            case VCPU_CREATE -> new VmVcpu(tool).execute(out, args);
            case VM_RUN -> new VmRun(tool).execute(out, args);
            case PV_LOCK -> new VmLock(tool).execute(out, args);
            case VMM_DESTROY -> new VmDestroy(tool).execute(out, args);
            default -> throw new IllegalArgumentException("not a VMM operation: " + op);
        }
    }

    /** The VMM exits: its VMs' files are closed. */
    void closeAll() {
        vms.closeAll();
    }
}
