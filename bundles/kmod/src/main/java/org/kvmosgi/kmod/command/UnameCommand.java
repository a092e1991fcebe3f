package org.kvmosgi.kmod.command;

import org.apache.felix.service.command.Descriptor;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kmod.tool.Uname;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The uname command. */
@Component(service = UnameCommand.class, property = {"osgi.command.scope=kmod", "osgi.command.function=uname"})
public class UnameCommand {
    @Reference
    Syscalls sys;

    @Descriptor("print the kernel's name, release and machine")
    public void uname(@Descriptor("[-a] [-s] [-n] [-r] [-v] [-m] [-o]") String... args) {
        new Uname(sys, System.out, System.err).main(args);
    }
}
