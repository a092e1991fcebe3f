package org.kvmosgi.kernel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.kvmosgi.kernel.api.Printk;
import org.kvmosgi.kernel.api.host.Host;
import org.kvmosgi.kernel.dev.Devices;
import org.kvmosgi.kernel.inject.FailFunction;
import org.kvmosgi.kernel.inject.Kmemleak;
import org.kvmosgi.kernel.kmod.RequestModule;
import org.kvmosgi.kernel.module.KModule;
import org.kvmosgi.kernel.module.LoadHistory;
import org.kvmosgi.kernel.module.ModuleList;
import org.kvmosgi.kernel.module.ModuleState;
import org.kvmosgi.kernel.module.Oops;
import org.kvmosgi.kernel.module.References;
import org.kvmosgi.kernel.module.Taint;
import org.kvmosgi.kernel.param.CoreParams;
import org.kvmosgi.kernel.param.ParamArgs;
import org.kvmosgi.kernel.printk.KernelLog;

/**
 * The subsystems that need no framework, built by {@link #of} in dependency order from the
 * boot parameters and the log: taint, the command line's core parameters and
 * module_blacklist, fail_function, kmemleak, the load history, the module list with its
 * references, the devices, request_module and the oops printer. {@link Kernel} adds the parts that live in
 * the OSGi framework (the symbol table, the loader, the system calls); a test kit or a
 * framework-less model of the kernel builds this alone, with a {@code KernelLog} made
 * without a bundle context.
 *
 * <p>Nothing here is handed around as a whole: each subsystem got what it uses by
 * constructor, so none of them imports this class or {@link Kernel}.
 */
public record KernelCore(Boot boot, KernelLog log, Printk printk, Taint taint, CoreParams coreParams,
        FailFunction failFunction, Kmemleak kmemleak, LoadHistory loadHistory, List<String> blacklist,
        ModuleList modules, References refs, Devices devices, RequestModule requestModule, Oops oops) {

    /** How long an importer waits for a COMING exporter (resolve_symbol_wait: 30 s). */
    public static final long SYMBOL_WAIT_MILLIS = 30_000;

    /** The boot parameters (the framework properties the activator reads, or a test's). */
    public record Boot(Host host, String release, String cmdline, Path root, long symbolWaitMillis, long faultSeed) {}

    /** Builds the subsystems in dependency order. */
    public static KernelCore of(Boot boot, KernelLog log) {
        Printk printk = log.printk("");
        // the module list and its references first: devices pin a file's owner through them
        ModuleList modules = new ModuleList();
        Taint taint = new Taint();
        Oops oops = new Oops(printk, taint, boot.release(), modules);
        References refs = new References(modules, printk, oops);
        return new KernelCore(boot, log, printk, taint, new CoreParams(boot.cmdline(), printk),
                new FailFunction(printk, boot.faultSeed()), new Kmemleak(), new LoadHistory(),
                moduleBlacklist(boot.cmdline()), modules, refs, new Devices(printk, refs),
                new RequestModule(printk, name -> {
                    KModule m = modules.find(name);
                    return m != null && (m.state() == ModuleState.COMING || m.state() == ModuleState.UNFORMED);
                }), oops);
    }

    /** module_blacklist=a,b,c from the kernel command line. */
    static List<String> moduleBlacklist(String cmdline) {
        List<String> out = new ArrayList<>();
        for (ParamArgs.Arg a : ParamArgs.split(cmdline)) {
            if (a.name().equals("module_blacklist") && a.value() != null) {
                for (String n : a.value().split(",")) {
                    if (!n.isEmpty()) {
                        out.add(n.replace('-', '_'));
                    }
                }
            }
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Brings these subsystems back to their state after boot, once every module is gone:
     * what the modules left dropped, the debugging state cleared.
     */
    void clearAfterUnload() {
        // a built-in module is never unloaded: what it registered at boot stays
        devices.dropAll(name -> modules.builtin(name) != null);
        kmemleak.clear();
        failFunction.inject("");
        failFunction.setProbability(0);
        failFunction.setTimes(1);
        failFunction.setInterval(1);
        taint.clear();
        oops.reset();
        loadHistory.clear();
    }
}
