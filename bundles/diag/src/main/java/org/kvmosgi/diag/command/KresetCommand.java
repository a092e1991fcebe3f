package org.kvmosgi.diag.command;

import org.apache.felix.service.command.Descriptor;
import org.kvmosgi.console.api.CommandFailure;
import org.kvmosgi.console.api.Words;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code kreset}: the kernel back to its state after boot (debugfs kvmosgi/reset: files
 * closed, modules unloaded, leftovers dropped, fail_function cleared) and dmesg emptied,
 * so the next commands start as on a fresh boot. The explorer runs it before each sequence.
 */
@Component(service = KresetCommand.class, property = {"osgi.command.scope=diag", "osgi.command.function=kreset"})
public class KresetCommand {
    @Reference
    Syscalls sys;

    @Descriptor("bring the kernel back to its state after boot, in milliseconds (every module unloaded, dmesg emptied)")
    public void kreset(String... args) {
        args = Words.of(args);
        if (args != null && args.length > 0) {
            throw new CommandFailure("kreset: usage: kreset (takes no arguments)");
        }
        KernelAccess.write(sys, "/sys/kernel/debug/kvmosgi/reset", "1", "kreset");
        sys.syslog(true);
    }
}
