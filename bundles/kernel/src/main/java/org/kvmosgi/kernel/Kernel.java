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
import org.kvmosgi.kernel.module.LoadHistory;
import org.kvmosgi.kernel.module.Loader;
import org.kvmosgi.kernel.module.ModuleList;
import org.kvmosgi.kernel.module.References;
import org.kvmosgi.kernel.module.Taint;
import org.kvmosgi.kernel.param.CoreParams;
import org.kvmosgi.kernel.param.ParamArgs;
import org.kvmosgi.kernel.printk.KernelLog;
import org.kvmosgi.kernel.symbol.SymbolTable;
import org.osgi.framework.BundleContext;

/**
 * The running kernel: the one object that holds the subsystems together. Built by the
 * kernel bundle's activator from the boot parameters (framework properties).
 */
public final class Kernel {
    /** How long an importer waits for a COMING exporter (resolve_symbol_wait: 30 s). */
    public static final long SYMBOL_WAIT_MILLIS = 30_000;

    private final BundleContext context;
    private final Host host;
    private final String release;
    private final String cmdline;
    private final Path root;
    private final KernelLog log;
    private final Taint taint = new Taint();
    private final SymbolTable symbols;
    private final Loader loader;
    private final Devices devices;
    private final RequestModule requestModule;
    private final List<String> blacklist;
    private final CoreParams coreParams;
    private final FailFunction failFunction;
    private final Kmemleak kmemleak = new Kmemleak();
    private final LoadHistory loadHistory = new LoadHistory();

    public Kernel(BundleContext context, Host host, String release, String cmdline, Path root, KernelLog log,
            long symbolWaitMillis, long faultSeed) {
        this.context = context;
        this.host = host;
        this.release = release;
        this.cmdline = cmdline;
        this.root = root;
        this.log = log;
        this.blacklist = moduleBlacklist(cmdline);
        this.coreParams = new CoreParams(cmdline, log.printk(""));
        this.failFunction = new FailFunction(log.printk(""), faultSeed);
        this.symbols = new SymbolTable(context);
        // the module list and its references first: devices pin a file's owner through them
        ModuleList modules = new ModuleList();
        References refs = new References(modules);
        this.devices = new Devices(log.printk(""), refs);
        this.requestModule = new RequestModule(log.printk(""));
        this.loader = new Loader(this, modules, refs, symbolWaitMillis);
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

    public BundleContext context() {
        return context;
    }

    public Host host() {
        return host;
    }

    public String release() {
        return release;
    }

    public String cmdline() {
        return cmdline;
    }

    public Path root() {
        return root;
    }

    public KernelLog log() {
        return log;
    }

    /** printk without a prefix (the caller writes "kvm: " etc. itself, or none). */
    public Printk printk() {
        return log.printk("");
    }

    /** initcall_debug and the other core_params (/sys/module/kernel/parameters). */
    public CoreParams coreParams() {
        return coreParams;
    }

    public Taint taint() {
        return taint;
    }

    public SymbolTable symbols() {
        return symbols;
    }

    public Loader loader() {
        return loader;
    }

    public Devices devices() {
        return devices;
    }

    public RequestModule requestModule() {
        return requestModule;
    }

    public FailFunction failFunction() {
        return failFunction;
    }

    public LoadHistory loadHistory() {
        return loadHistory;
    }

    public Kmemleak kmemleak() {
        return kmemleak;
    }

    public boolean blacklisted(String module) {
        return blacklist.contains(module);
    }
}
