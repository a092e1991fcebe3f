package org.kvmosgi.diag.command;

import java.util.ArrayList;
import java.util.List;
import org.apache.felix.service.command.Descriptor;
import org.kvmosgi.console.api.CommandFailure;
import org.kvmosgi.console.api.Words;
import org.kvmosgi.diag.model.ModuleGraph;
import org.kvmosgi.diag.model.ModuleGraphPrinter;
import org.kvmosgi.diag.model.Snapshot;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code modgraph [-a] [-T dot|svg] [-o FILE]}: who uses whom, through which symbols. */
@Component(service = ModgraphCommand.class, property = {"osgi.command.scope=diag", "osgi.command.function=modgraph"})
public class ModgraphCommand {
    static final String USAGE = "modgraph: usage: modgraph [-a] [-T dot|svg] [-o FILE]";

    @Reference
    Syscalls sys;
    private BundleContext context;

    @Activate
    void activate(BundleContext context) {
        this.context = context;
    }

    @Descriptor("the module graph: modules as nodes, \"uses\" arrows labelled with the symbols, failed and permanent ones marked")
    public void modgraph(@Descriptor("[-a] every module file, edges from modules.dep (default: the loaded modules);"
            + " [-T dot|svg] (dot); [-o FILE] into the model's FILE") String... args) {
        args = Words.of(args);
        List<String> rest = new ArrayList<>();
        Output out = Output.parse("modgraph", USAGE, args, rest);
        boolean all = rest.remove("-a");
        String format = "dot";
        int t = rest.indexOf("-T");
        if (t >= 0) {
            if (t + 1 == rest.size()) {
                throw new CommandFailure(USAGE);
            }
            format = rest.remove(t + 1);
            rest.remove(t);
        }
        if (!rest.isEmpty() || !(format.equals("dot") || format.equals("svg"))) {
            throw new CommandFailure(USAGE);
        }
        Snapshot s = KernelAccess.snapshot(sys, context);
        ModuleGraph g = all ? ModuleGraph.feature(s, KernelAccess.read(sys, s.moduleDir() + "/modules.dep", "modgraph"))
                : ModuleGraph.loaded(s);
        ModuleGraphPrinter p = new ModuleGraphPrinter(out.sink());
        if (format.equals("svg")) {
            p.svg(g);
        } else {
            p.dot(g);
        }
        out.finish(sys);
    }
}
