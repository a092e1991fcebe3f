package org.kvmosgi.diag.command;

import java.util.ArrayList;
import java.util.List;
import org.apache.felix.service.command.Descriptor;
import org.kvmosgi.console.api.CommandFailure;
import org.kvmosgi.console.api.Words;
import org.kvmosgi.diag.model.BootgraphPrinter;
import org.kvmosgi.diag.model.Initcall;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code bootgraph [-o FILE] [DMESG-FILE]}: scripts/bootgraph.pl over the kernel log. */
@Component(service = BootgraphCommand.class, property = {"osgi.command.scope=diag", "osgi.command.function=bootgraph"})
public class BootgraphCommand {
    static final String USAGE = "bootgraph: usage: bootgraph [-o FILE] [DMESG-FILE]";

    @Reference
    Syscalls sys;

    @Descriptor("draw the module initcalls initcall_debug logged as an SVG timeline (Linux's scripts/bootgraph.pl)")
    public void bootgraph(@Descriptor("[-o FILE] write the SVG into the model's FILE; [DMESG-FILE] a saved log") String... args) {
        args = Words.of(args);
        List<String> rest = new ArrayList<>();
        Output out = Output.parse("bootgraph", USAGE, args, rest);
        if (rest.size() > 1) {
            throw new CommandFailure(USAGE);
        }
        List<String> log = rest.isEmpty() ? sys.syslog(false)
                : KernelAccess.read(sys, rest.get(0), "bootgraph").lines().toList();
        List<Initcall> calls = Initcall.parse(log);
        if (calls.isEmpty()) {
            throw new CommandFailure("bootgraph: no initcall_debug lines in " + (rest.isEmpty() ? "the kernel log"
                    : rest.get(0)) + " (boot with initcall_debug, or: echo Y | tee "
                    + "/sys/module/kernel/parameters/initcall_debug)");
        }
        new BootgraphPrinter(out.sink()).print(calls, "bootgraph of " + sys.kernelRelease());
        out.finish(sys);
    }
}
