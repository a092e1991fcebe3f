package org.kvmosgi.diag.command;

import org.kvmosgi.diag.model.Snapshot;
import org.kvmosgi.diag.model.SnapshotReader;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.osgi.framework.BundleContext;

/** What the commands share: the snapshot, the host profile, and reads that may fail. */
final class KernelAccess {
    static final String FF = "/sys/kernel/debug/fail_function";

    private KernelAccess() {}

    static String host(BundleContext context) {
        String h = context.getProperty("kvmosgi.host");
        return h == null || h.isEmpty() ? "intel" : h;
    }

    static Snapshot snapshot(Syscalls sys, BundleContext context) {
        return SnapshotReader.read(sys, host(context));
    }

    static String read(Syscalls sys, String path, String prog) {
        try {
            return sys.read(path);
        } catch (ErrnoException e) {
            throw new org.kvmosgi.console.api.CommandFailure(prog + ": cannot read " + path + ": " + e.strerror());
        }
    }

    static void write(Syscalls sys, String path, String value, String prog) {
        try {
            sys.write(path, value);
        } catch (ErrnoException e) {
            throw new org.kvmosgi.console.api.CommandFailure(prog + ": write of '" + value.trim() + "' to " + path
                    + " failed: " + e.strerror());
        }
    }
}
