package org.kvmosgi.kmod.command;

import org.apache.felix.service.command.Descriptor;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kmod.tool.Tee;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The tee command. */
@Component(service = TeeCommand.class, property = {"osgi.command.scope=kmod", "osgi.command.function=tee"})
public class TeeCommand {
    @Reference
    Syscalls sys;

    @Descriptor("copy standard input to files of the model and to standard output; writes module parameters: echo 1 | tee /sys/module/M/parameters/P")
    public void tee(@Descriptor("[-a] FILE...") String... args) {
        new Tee(sys, System.in, System.out, System.err).main(args);
    }
}
