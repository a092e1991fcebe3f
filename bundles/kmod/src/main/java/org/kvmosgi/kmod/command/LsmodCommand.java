package org.kvmosgi.kmod.command;

import org.apache.felix.service.command.Descriptor;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kmod.lib.KmodCache;
import org.kvmosgi.kmod.tool.Lsmod;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The lsmod command. */
@Component(service = LsmodCommand.class, property = {"osgi.command.scope=kmod", "osgi.command.function=lsmod"})
public class LsmodCommand {
    @Reference
    Syscalls sys;
    @Reference
    KmodCache cache;

    @Descriptor("show the modules loaded in the kernel (/proc/modules)")
    public void lsmod(String... args) {
        new Lsmod(sys, System.out, System.err).cachedIn(cache).main(args);
    }
}
