package org.kvmosgi.console.internal;

import java.io.PrintStream;
import java.util.function.IntSupplier;
import org.apache.felix.service.command.Descriptor;
import org.kvmosgi.console.api.CommandFailure;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/** The shell's own commands (scope {@value #SCOPE}): {@code hosts} and {@code exit}. */
public final class ShellCommands {
    static final String SCOPE = "kvmsh";
    static final String[] FUNCTIONS = {"hosts", "exit"};
    static final String HOSTS_FILE = "/proc/kvmosgi/hosts";

    private final BundleContext context;
    private final IntSupplier lastStatus;

    ShellCommands(BundleContext context, IntSupplier lastStatus) {
        this.context = context;
        this.lastStatus = lastStatus;
    }

    @Descriptor("list the host profiles the kernel simulates (./kvmsh --host PROFILE picks one)")
    public void hosts() {
        String table;
        ServiceReference<Syscalls> ref;
        try {
            ref = context.getServiceReference(Syscalls.class);
        } catch (NoClassDefFoundError noKernelApi) {
            ref = null;
        }
        if (ref == null) {
            throw new CommandFailure("hosts: no kernel is running, so no host profiles can be listed", 1);
        }
        Syscalls syscalls = context.getService(ref);
        if (syscalls == null) {
            throw new CommandFailure("hosts: the kernel went away", 1);
        }
        try {
            table = syscalls.read(HOSTS_FILE);
        } catch (ErrnoException e) {
            throw new CommandFailure("hosts: cannot read " + HOSTS_FILE + ": " + e.getMessage(), 1);
        } finally {
            context.ungetService(ref);
        }
        PrintStream out = System.out;
        for (String line : HostTable.format(table)) {
            out.println(line);
        }
    }

    @Descriptor("leave the shell with the status of the last command")
    public void exit() {
        throw new ExitRequest(lastStatus.getAsInt());
    }

    @Descriptor("leave the shell with the given status")
    public void exit(@Descriptor("exit status (0-255)") int status) {
        throw new ExitRequest(status & 0xff);
    }
}
