package org.kvmosgi.kmod.command;

import org.apache.felix.service.command.Descriptor;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kmod.lib.KmodCache;
import org.kvmosgi.kmod.tool.Modinfo;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The modinfo command. */
@Component(service = ModinfoCommand.class, property = {"osgi.command.scope=kmod", "osgi.command.function=modinfo"})
public class ModinfoCommand {
    @Reference
    Syscalls sys;
    @Reference
    KmodCache cache;

    @Descriptor("show a module's .modinfo")
    public void modinfo(@Descriptor("[-F field] [-a|-d|-l|-p|-n] [-0] NAME|FILE...") String... args) {
        new Modinfo(sys, System.out, System.err).cachedIn(cache).main(args);
    }
}
