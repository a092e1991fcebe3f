package org.kvmosgi.diag.command;

import org.apache.felix.service.command.Descriptor;
import org.kvmosgi.console.api.CommandFailure;
import org.kvmosgi.console.api.Words;
import org.kvmosgi.diag.model.Finding;
import org.kvmosgi.diag.model.Snapshot;
import org.kvmosgi.diag.model.WhyAnalysis;
import org.kvmosgi.diag.model.WhyPrinter;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code why MODULE | why /dev/NAME | why vm [TYPE]}: the root cause first. */
@Component(service = WhyCommand.class, property = {"osgi.command.scope=diag", "osgi.command.function=why"})
public class WhyCommand {
    static final String USAGE = "why: usage: why MODULE | why /dev/NAME | why vm [TYPE]";

    @Reference
    Syscalls sys;
    private BundleContext context;

    @Activate
    void activate(BundleContext context) {
        this.context = context;
    }

    @Descriptor("explain, root cause first, why a module is (not) live, a device (not) there, or VM creation fails")
    public void why(@Descriptor("MODULE | /dev/NAME | vm [TYPE] (TYPE 0 default; on PowerPC 1 = HV, 2 = PR)") String... args) {
        args = Words.of(args);
        if (args == null || args.length == 0 || args.length > 2) {
            throw new CommandFailure(USAGE);
        }
        Snapshot s = KernelAccess.snapshot(sys, context);
        WhyAnalysis why = new WhyAnalysis(s);
        Finding f;
        if (args[0].equals("vm")) {
            long type = 0;
            if (args.length == 2) {
                try {
                    type = Long.parseLong(args[1]);
                } catch (NumberFormatException e) {
                    throw new CommandFailure("why: VM type must be a number, not '" + args[1] + "'");
                }
            }
            Integer observed = s.devices().contains("kvm") ? VmProbe.tryCreate(sys, type) : null;
            f = why.vm(type, observed);
        } else if (args.length == 2) {
            throw new CommandFailure(USAGE);
        } else if (args[0].startsWith("/dev/")) {
            f = why.device(args[0]);
        } else {
            f = why.module(args[0]);
        }
        new WhyPrinter(System.out::println).print(f);
    }
}
