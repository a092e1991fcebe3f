package org.kvmosgi.kmod.command;

import org.apache.felix.service.command.Descriptor;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kmod.lib.KmodCache;
import org.kvmosgi.kmod.tool.Insmod;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The insmod command. */
@Component(service = InsmodCommand.class, property = {"osgi.command.scope=kmod", "osgi.command.function=insmod"})
public class InsmodCommand {
    @Reference
    Syscalls sys;
    @Reference
    KmodCache cache;

    @Descriptor("insert a module file into the kernel (finit_module)")
    public void insmod(@Descriptor("FILE [param=value ...]: the module file, then its parameters; -f forces (ignores version magic)") String... args) {
        new Insmod(sys, System.out, System.err).cachedIn(cache).main(args);
    }
}
