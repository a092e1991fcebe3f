package org.kvmosgi.kmod.command;

import org.apache.felix.service.command.Descriptor;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kmod.tool.Dmesg;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The dmesg command. */
@Component(service = DmesgCommand.class, property = {"osgi.command.scope=kmod", "osgi.command.function=dmesg"})
public class DmesgCommand {
    @Reference
    Syscalls sys;

    @Descriptor("print or clear the kernel ring buffer")
    public void dmesg(@Descriptor("[-c | -C]: -c prints then clears, -C clears") String... args) {
        new Dmesg(sys, System.out, System.err).main(args);
    }
}
