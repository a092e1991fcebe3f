package org.kvmosgi.kmod.command;

import org.apache.felix.service.command.Descriptor;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kmod.tool.Ls;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The ls command. */
@Component(service = LsCommand.class, property = {"osgi.command.scope=kmod", "osgi.command.function=ls"})
public class LsCommand {
    @Reference
    Syscalls sys;

    @Descriptor("list a directory of the model: /proc, /sys/module, /lib/modules, /etc ...")
    public void ls(@Descriptor("[-a] [PATH...]: '/' when none; -a shows dot files") String... args) {
        new Ls(sys, System.out, System.err).main(args);
    }
}
