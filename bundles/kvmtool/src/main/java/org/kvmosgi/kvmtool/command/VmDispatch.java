package org.kvmosgi.kvmtool.command;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kvm.api.KvmIoctl;

/**
 * {@code vm dispatch}: how the core calls its vendor modules (kvm.dispatch=: ops,
 * static_call or direct; x86's kvm_x86_ops, PowerPC's kvmppc_hv_ops and kvmppc_pr_ops) and
 * where each call site points now, read from /dev/kvm as Linux's debugfs would show it.
 */
public final class VmDispatch {
    private final Kvmtool tool;

    public VmDispatch(Kvmtool tool) {
        this.tool = tool;
    }

    public void execute(PrintStream out, String... args) {
        if (args.length > 0) {
            throw Kvmtool.fail("unexpected argument '" + args[0] + "'");
        }
        Syscalls sys = tool.sys();
        int fd;
        try {
            fd = sys.open("/dev/kvm");
        } catch (ErrnoException e) {
            throw Kvmtool.fail("unable to open /dev/kvm: " + e.strerror());
        }
        try {
            List<String> lines = new ArrayList<>();
            sys.ioctl(fd, KvmIoctl.KVMOSGI_GET_DISPATCH, lines);
            lines.forEach(out::println);
        } catch (ErrnoException e) {
            throw Kvmtool.fail("KVMOSGI_GET_DISPATCH failed: " + e.strerror() + " (this kvm has no call sites to show)");
        } finally {
            try {
                sys.close(fd);
            } catch (ErrnoException e) {
                // already gone
            }
        }
    }
}
