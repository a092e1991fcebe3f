package org.kvmosgi.kmod.command;

import org.apache.felix.service.command.Descriptor;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kmod.tool.Cat;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The cat command. */
@Component(service = CatCommand.class, property = {"osgi.command.scope=kmod", "osgi.command.function=cat"})
public class CatCommand {
    @Reference
    Syscalls sys;

    @Descriptor("print files of the model: /proc, /sys/module and the root file system")
    public void cat(@Descriptor("FILE...: no FILE or '-' reads standard input") String... args) {
        new Cat(sys, System.in, System.out, System.err).main(args);
    }
}
