package org.kvmosgi.diag.command;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.felix.service.command.Descriptor;
import org.kvmosgi.console.api.CommandFailure;
import org.kvmosgi.console.api.Words;
import org.kvmosgi.diag.model.ModuleFile;
import org.kvmosgi.diag.model.Points;
import org.kvmosgi.diag.model.Snapshot;
import org.kvmosgi.diag.model.SnapshotReader;
import org.kvmosgi.diag.model.WhyAnalysis;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code failfn list|inject|clear|status}: fail_function from the shell. Every write goes
 * to the kernel's debugfs files, so a script that echoes into them does the same.
 */
@Component(service = FailfnCommand.class, property = {"osgi.command.scope=diag", "osgi.command.function=failfn"})
public class FailfnCommand {
    static final String USAGE = String.join("\n",
            "failfn: usage: failfn list [MODULE...]",
            "       failfn inject POINT [ERRNO] [--times N] [--probability PERCENT] [--interval N] [--seed N]",
            "       failfn clear [POINT]",
            "       failfn status");
    static final String FF = KernelAccess.FF;

    @Reference
    Syscalls sys;

    @Descriptor("fault injection (fail_function): list the points, make one fail, clear, show what is armed")
    public void failfn(@Descriptor("list [MODULE...] | inject POINT [ERRNO] [--times N] [--probability P] "
            + "[--interval N] [--seed N] | clear [POINT] | status") String... args) {
        args = Words.of(args);
        if (args == null || args.length == 0) {
            throw new CommandFailure(USAGE);
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        switch (args[0]) {
            case "list" -> list(rest);
            case "inject" -> inject(rest);
            case "clear" -> clear(rest);
            case "status" -> status(rest);
            default -> throw new CommandFailure("failfn: unknown action '" + args[0] + "'\n" + USAGE);
        }
    }

    private List<String> points() {
        String dir = "/lib/modules/" + sys.kernelRelease();
        List<ModuleFile> files = new ArrayList<>(SnapshotReader.moduleFiles(sys, dir).values());
        return Points.all(KernelAccess.read(sys, FF + "/injectable", "failfn").lines().toList(), files);
    }

    private List<String> armed() {
        return KernelAccess.read(sys, FF + "/inject", "failfn").lines().map(String::trim).filter(l -> !l.isEmpty())
                .toList();
    }

    private int retval(String point) {
        return Points.retval(KernelAccess.read(sys, FF + "/" + point + "/retval", "failfn"));
    }

    private void list(List<String> modules) {
        Set<String> armed = Set.copyOf(armed());
        List<String> wanted = modules.stream().map(Snapshot::modname).toList();
        boolean any = false;
        for (String p : points()) {
            String owner = p.substring(0, p.indexOf(':'));
            if (!wanted.isEmpty() && !wanted.contains(owner)) {
                continue;
            }
            any = true;
            System.out.println(armed.contains(p) ? String.format("%-40s armed: %s", p, WhyAnalysis.errno(retval(p)))
                    : p);
        }
        if (!any && !wanted.isEmpty()) {
            throw new CommandFailure("failfn: no injection points for " + String.join(" ", modules)
                    + " (a module declares its steps in @Module(steps = ...))");
        }
    }

    private void inject(List<String> args) {
        String point = null;
        Errno errno = null;
        long times = 1;
        long probability = 100;
        long interval = 1;
        Long seed = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--times" -> times = number(args, ++i, a);
                case "--once" -> times = 1;
                case "--probability" -> probability = number(args, ++i, a);
                case "--interval" -> interval = number(args, ++i, a);
                case "--seed" -> seed = number(args, ++i, a);
                default -> {
                    if (a.startsWith("--")) {
                        throw new CommandFailure("failfn: unknown option '" + a + "'\n" + USAGE);
                    } else if (point == null) {
                        point = a;
                    } else if (errno == null) {
                        errno = Points.errno(a);
                        if (errno == null) {
                            throw new CommandFailure("failfn: unknown errno '" + a + "' (e.g. ENOMEM, -12, EIO)");
                        }
                    } else {
                        throw new CommandFailure(USAGE);
                    }
                }
            }
        }
        if (point == null) {
            throw new CommandFailure(USAGE);
        }
        int colon = point.indexOf(':');
        if (colon > 0) {
            point = Snapshot.modname(point.substring(0, colon)) + point.substring(colon);
        }
        if (!points().contains(point)) {
            throw new CommandFailure("failfn: unknown injection point '" + point + "' (failfn list shows them)");
        }
        if (errno == null) {
            errno = Errno.EINVAL;
        }
        KernelAccess.write(sys, FF + "/inject", point, "failfn");
        KernelAccess.write(sys, FF + "/" + point + "/retval", Integer.toString(errno.neg()), "failfn");
        KernelAccess.write(sys, FF + "/probability", Long.toString(probability), "failfn");
        KernelAccess.write(sys, FF + "/interval", Long.toString(interval), "failfn");
        KernelAccess.write(sys, FF + "/times", Long.toString(times), "failfn");
        if (seed != null) {
            KernelAccess.write(sys, FF + "/seed", Long.toString(seed), "failfn");
        }
        String how = times == 1 ? "once" : times < 0 ? "every time" : times + " times";
        final String armedPoint = point;
        List<String> others = armed().stream().filter(p -> !p.equals(armedPoint)).toList();
        System.out.println("failfn: " + point + " fails " + how + " with " + WhyAnalysis.errno(errno.neg())
                + (probability < 100 ? ", probability " + probability + "%" : "")
                + (interval > 1 ? ", every " + interval + " calls" : "")
                // times is one budget for all armed points: the first reached takes it
                + (others.isEmpty() ? "" : "; also armed: " + String.join(" ", others) + " (failfn clear POINT)"));
    }

    private static long number(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new CommandFailure("failfn: option " + option + " needs a number");
        }
        try {
            return Long.parseLong(args.get(i));
        } catch (NumberFormatException e) {
            throw new CommandFailure("failfn: option " + option + " needs a number, not '" + args.get(i) + "'");
        }
    }

    private void clear(List<String> args) {
        if (args.size() > 1) {
            throw new CommandFailure(USAGE);
        }
        if (args.isEmpty()) {
            KernelAccess.write(sys, FF + "/inject", "", "failfn");
            return;
        }
        String point = args.get(0);
        if (!armed().contains(point)) {
            throw new CommandFailure("failfn: " + point + " is not armed");
        }
        KernelAccess.write(sys, FF + "/inject", "!" + point, "failfn");
    }

    private void status(List<String> args) {
        if (!args.isEmpty()) {
            throw new CommandFailure(USAGE);
        }
        List<String> armed = armed();
        if (armed.isEmpty()) {
            System.out.println("no injection point is armed");
        }
        for (String p : armed) {
            System.out.println(String.format("%-40s armed: %s", p, WhyAnalysis.errno(retval(p))));
        }
        String times = KernelAccess.read(sys, FF + "/times", "failfn").trim();
        System.out.println("probability " + KernelAccess.read(sys, FF + "/probability", "failfn").trim()
                + "%, interval " + KernelAccess.read(sys, FF + "/interval", "failfn").trim()
                + ", times " + times + (times.equals("0") ? " (spent: nothing fires any more)" : "")
                + ", verbose " + KernelAccess.read(sys, FF + "/verbose", "failfn").trim()
                + ", seed " + KernelAccess.read(sys, FF + "/seed", "failfn").trim());
    }
}
