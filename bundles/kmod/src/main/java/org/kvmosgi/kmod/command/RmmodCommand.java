package org.kvmosgi.kmod.command;

import org.apache.felix.service.command.Descriptor;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kmod.lib.KmodCache;
import org.kvmosgi.kmod.tool.Rmmod;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The rmmod command. */
@Component(service = RmmodCommand.class, property = {"osgi.command.scope=kmod", "osgi.command.function=rmmod"})
public class RmmodCommand {
    @Reference
    Syscalls sys;
    @Reference
    KmodCache cache;

    @Descriptor("remove modules from the kernel (delete_module)")
    public void rmmod(@Descriptor("[-f] NAME...: module names or files; -f forces removal and taints the kernel") String... args) {
        new Rmmod(sys, System.out, System.err).cachedIn(cache).main(args);
    }
}
