package org.kvmosgi.diag.command;

import java.util.List;
import org.apache.felix.service.command.Descriptor;
import org.kvmosgi.console.api.CommandFailure;
import org.kvmosgi.console.api.Words;
import org.kvmosgi.diag.model.Checks;
import org.kvmosgi.diag.model.SnapshotReader;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code invariants}: the kernel's consistency rules and user space's (see {@link Checks}),
 * one violation a line; fails when one is violated.
 */
@Component(service = InvariantsCommand.class, property = {"osgi.command.scope=diag",
        "osgi.command.function=invariants"})
public class InvariantsCommand {
    static final String KERNEL = "/sys/kernel/debug/kvmosgi/invariants";

    @Reference
    Syscalls sys;
    private BundleContext context;

    @Activate
    void activate(BundleContext context) {
        this.context = context;
    }

    @Descriptor("check the kernel's consistency (refcounts, symbols, services, devices, leaks, /dev/kvm, ops, BUGs)")
    public void invariants(String... args) {
        args = Words.of(args);
        if (args != null && args.length > 0) {
            throw new CommandFailure("invariants: usage: invariants (takes no arguments)");
        }
        List<String> kernel = KernelAccess.read(sys, KERNEL, "invariants").lines().filter(l -> !l.isBlank()).toList();
        List<String> violations = Checks.check(KernelAccess.snapshot(sys, context), kernel,
                SnapshotReader.opsOwners(sys), sys.syslog(false));
        if (violations.isEmpty()) {
            System.out.println("invariants: all hold");
            return;
        }
        violations.forEach(System.out::println);
        throw new CommandFailure("invariants: " + violations.size() + " violated", 1);
    }
}
