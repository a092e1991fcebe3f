package org.kvmosgi.diag.command;

import java.util.List;
import org.apache.felix.service.command.Descriptor;
import org.kvmosgi.console.api.CommandFailure;
import org.kvmosgi.console.api.Words;
import org.kvmosgi.diag.model.Leak;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code kmemleak [summary|clear]}: what modules that went left behind. */
@Component(service = KmemleakCommand.class, property = {"osgi.command.scope=diag", "osgi.command.function=kmemleak"})
public class KmemleakCommand {
    static final String FILE = "/sys/kernel/debug/kmemleak";
    static final String USAGE = "kmemleak: usage: kmemleak [summary | clear]";

    @Reference
    Syscalls sys;

    @Descriptor("show the suspected leaks of modules that went (kmemleak's report), one line each, or forget them")
    public void kmemleak(@Descriptor("(report) | summary | clear") String... args) {
        args = Words.of(args);
        if (args != null && args.length > 1) {
            throw new CommandFailure(USAGE);
        }
        String action = args == null || args.length == 0 ? "report" : args[0];
        switch (action) {
            case "clear" -> KernelAccess.write(sys, FILE, "clear", "kmemleak");
            case "report", "summary" -> {
                String report = KernelAccess.read(sys, FILE, "kmemleak");
                List<Leak> leaks = Leak.parse(report);
                if (leaks.isEmpty()) {
                    System.out.println("kmemleak: no suspected leaks");
                } else if (action.equals("report")) {
                    System.out.print(report);
                } else {
                    System.out.println("kmemleak: " + leaks.size() + " suspected leaks");
                    leaks.forEach(l -> System.out.println(l.module() + ": " + l.describe()));
                }
            }
            default -> throw new CommandFailure(USAGE);
        }
    }
}
