package org.kvmosgi.kmod.command;

import org.apache.felix.service.command.Descriptor;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kmod.tool.DepmodTool;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The depmod command. */
@Component(service = DepmodCommand.class, property = {"osgi.command.scope=kmod", "osgi.command.function=depmod"})
public class DepmodCommand {
    @Reference
    Syscalls sys;

    @Descriptor("generate modules.dep, modules.alias, modules.softdep, modules.symbols and modules.devname")
    public void depmod(@Descriptor("[-a] [-n] [-e] [VERSION]: -n writes the files to standard output") String... args) {
        new DepmodTool(sys, System.out, System.err).main(args);
    }
}
