package org.kvmosgi.kmod.command;

import org.apache.felix.service.command.Descriptor;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kmod.lib.KmodCache;
import org.kvmosgi.kmod.tool.Modprobe;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The modprobe command. */
@Component(service = ModprobeCommand.class, property = {"osgi.command.scope=kmod", "osgi.command.function=modprobe"})
public class ModprobeCommand {
    @Reference
    Syscalls sys;
    @Reference
    KmodCache cache;

    @Descriptor("add or remove modules with their dependencies, aliases and modprobe.d configuration")
    public void modprobe(@Descriptor("[-r] [-a] [-n] [-v] [-q] [-b] [-R] [-i] [-f] [--show-depends] [--first-time] NAME [param=value ...]") String... args) {
        new Modprobe(sys, System.out, System.err).cachedIn(cache).main(args);
    }
}
