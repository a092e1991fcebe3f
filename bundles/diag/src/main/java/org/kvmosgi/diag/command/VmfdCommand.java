package org.kvmosgi.diag.command;

import org.apache.felix.service.command.Descriptor;
import org.kvmosgi.console.api.CommandFailure;
import org.kvmosgi.console.api.Words;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code vmfd create [TYPE]} and {@code vmfd destroy FD}: a VM fd through /dev/kvm's
 * KVM_CREATE_VM and nothing else (no memory, no vCPU), for probes and exploration. The
 * VMM (kvmtool's {@code vm}) does the rest of a VM's life.
 */
@Component(service = VmfdCommand.class, property = {"osgi.command.scope=diag", "osgi.command.function=vmfd"})
public class VmfdCommand {
    static final String USAGE = "vmfd: usage: vmfd create [TYPE] | vmfd destroy FD";

    @Reference
    Syscalls sys;

    @Descriptor("create a VM through /dev/kvm (KVM_CREATE_VM) and print its fd, or destroy one by closing its fd")
    public void vmfd(@Descriptor("create [TYPE] | destroy FD") String... args) {
        args = Words.of(args);
        if (args == null || args.length == 0 || args.length > 2) {
            throw new CommandFailure(USAGE);
        }
        switch (args[0]) {
            case "create" -> {
                long type = args.length == 2 ? number(args[1], "VM type") : 0;
                int kvm;
                try {
                    kvm = sys.open("/dev/kvm");
                } catch (ErrnoException e) {
                    throw new CommandFailure("vmfd: cannot open /dev/kvm: " + e.strerror());
                }
                try {
                    System.out.println("VM fd " + VmProbe.createOn(sys, kvm, type));
                } catch (ErrnoException e) {
                    throw new CommandFailure("vmfd: KVM_CREATE_VM(" + type + ") failed: " + e.strerror());
                }
            }
            case "destroy" -> {
                if (args.length != 2) {
                    throw new CommandFailure(USAGE);
                }
                int fd = (int) number(args[1], "fd");
                try {
                    sys.close(fd);
                } catch (ErrnoException e) {
                    throw new CommandFailure("vmfd: close of fd " + fd + " failed: " + e.strerror());
                }
            }
            default -> throw new CommandFailure(USAGE);
        }
    }

    private static long number(String s, String what) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new CommandFailure("vmfd: " + what + " must be a number, not '" + s + "'");
        }
    }
}
