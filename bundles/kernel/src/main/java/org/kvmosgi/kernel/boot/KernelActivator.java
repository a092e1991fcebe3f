package org.kvmosgi.kernel.boot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.kvmosgi.kernel.Kernel;
import org.kvmosgi.kernel.KernelCore;
import org.kvmosgi.kernel.api.ModuleLoader;
import org.kvmosgi.kernel.api.Printk;
import org.kvmosgi.kernel.api.host.Host;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kernel.host.HostProfiles;
import org.kvmosgi.kernel.inject.FailFunction;
import org.kvmosgi.kernel.kmod.GogoModprobe;
import org.kvmosgi.kernel.printk.KernelLog;
import org.kvmosgi.kernel.printk.LogBuffer;
import org.kvmosgi.kernel.symbol.SymbolEvents;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.hooks.service.EventListenerHook;
import org.slf4j.LoggerFactory;

/**
 * Boots the kernel when its bundle starts: reads the boot parameters, picks the host,
 * and offers the loader (to module bundles) and the system calls (to user space).
 */
public final class KernelActivator implements BundleActivator {
    static final String HOST = "kvmosgi.host";
    static final String ROOT = "kvmosgi.root";
    static final String RELEASE = "kvmosgi.release";
    static final String CMDLINE = "kvmosgi.cmdline";
    static final String SYMBOL_WAIT = "kvmosgi.symbol.wait.ms";
    static final String FAULT_SEED = "kvmosgi.fault.seed";
    static final String DEFAULT_RELEASE = "6.13.0-kvmosgi";
    /** log_buf_len in records. */
    static final int LOG_RECORDS = 8192;

    private KernelLog log;
    private Kernel kernel;
    private Runnable closeModprobe;
    private ServiceRegistration<?> loaderReg;
    private ServiceRegistration<?> syscallsReg;
    private ServiceRegistration<?> symbolEventsReg;
    private java.util.List<org.osgi.framework.Bundle> builtins = java.util.List.of();

    /** ConfigAdmin's boot parameters, for those the framework properties leave unset. */
    private Map<String, String> config = Map.of();
    /** The wait for ConfigAdmin's boot parameters, or null. */
    private AutoCloseable waitingForConfig;

    @Override
    public void start(BundleContext context) throws Exception {
        if (context.getProperty(ROOT) == null) {
            try {
                waitingForConfig = BootConfig.whenConfigured(context, values -> {
                    try {
                        boot(context, values);
                    } catch (Exception e) {
                        LoggerFactory.getLogger(KernelLog.LOGGER).error("kernel: cannot boot with the configuration "
                                + BootConfig.PID + ": " + e.getMessage());
                    }
                });
                return;
            } catch (LinkageError noConfigAdmin) {
                // no ConfigAdmin: the framework properties are all there is
            }
        }
        boot(context, Map.of());
    }

    private synchronized void boot(BundleContext context, Map<String, String> configured) throws Exception {
        config = configured;
        long boot = System.nanoTime();
        String profile = prop(context, HOST, HostProfiles.DEFAULT);
        Host host = HostProfiles.get(profile);
        if (host == null) {
            throw new BundleException("unknown host profile '" + profile + "'; known profiles: "
                    + HostProfiles.all().stream().map(Host::profile).collect(Collectors.joining(" ")));
        }
        String rootProp = prop(context, ROOT, null);
        if (rootProp != null && config.containsKey(ROOT)) {
            // no launcher laid the root out: make the directories it would have
            for (String dir : new String[] {"lib/modules/" + prop(context, RELEASE, DEFAULT_RELEASE), "etc/modprobe.d",
                    "etc/modules-load.d"}) {
                Files.createDirectories(Path.of(rootProp, dir));
            }
        }
        if (rootProp == null || !Files.isDirectory(Path.of(rootProp))) {
            throw new BundleException("kernel: " + ROOT + " must name the root directory (got " + rootProp + ")");
        }
        Path root = Path.of(rootProp).toAbsolutePath().normalize();
        String release = prop(context, RELEASE, DEFAULT_RELEASE);
        String cmdline = prop(context, CMDLINE, "");
        long wait = Long.parseLong(prop(context, SYMBOL_WAIT, Long.toString(KernelCore.SYMBOL_WAIT_MILLIS)));
        long seed = Long.parseLong(prop(context, FAULT_SEED, Long.toString(FailFunction.DEFAULT_SEED)));

        log = new KernelLog(context, new LogBuffer(boot, LOG_RECORDS));
        log.open();
        // the banner first: what building the kernel reports (a bad core parameter, the keyring) follows it
        Printk printk = log.printk("");
        printk.notice("Linux version %s (kvm-osgi) #1 SMP PREEMPT_DYNAMIC", release);
        printk.info("Command line: %s", cmdline);
        KernelCore core = KernelCore.of(new KernelCore.Boot(host, release, cmdline, root, wait, seed), log);
        kernel = new Kernel(context, core);
        symbolEventsReg = context.registerService(EventListenerHook.class, new SymbolEvents(), null);
        // the machine last: what the model's host says is the boot's last word before the initcalls
        printk.info("Host profile: %s (%s)", host.profile(), host.description());
        if (host instanceof HostProfiles.SimHost sim) {
            sim.bootMessages().forEach(m -> printk.err("%s", m));
        }
        try {
            closeModprobe = GogoModprobe.installIfAvailable(context, core.requestModule());
        } catch (LinkageError noGogo) {
            closeModprobe = null;
        }
        loaderReg = context.registerService(ModuleLoader.class, kernel.loader(), null);
        syscallsReg = context.registerService(Syscalls.class, kernel.syscalls(), null);
        // do_initcalls: the built-in modules come up before user space does
        builtins = Initcalls.run(context, core.boot(), kernel.loader(), printk);
    }

    @Override
    public synchronized void stop(BundleContext context) throws Exception {
        if (waitingForConfig != null) {
            waitingForConfig.close();
        }
        if (kernel == null) {
            return;
        }
        kernel.loader().unloadAll();
        for (org.osgi.framework.Bundle b : builtins) {
            try {
                b.uninstall();
            } catch (org.osgi.framework.BundleException | IllegalStateException gone) {
                // uninstalled already
            }
        }
        kernel.symbols().close();
        symbolEventsReg.unregister();
        syscallsReg.unregister();
        loaderReg.unregister();
        if (closeModprobe != null) {
            closeModprobe.run();
        }
        log.close();
        kernel = null;
    }

    /** A boot parameter: the framework property, else ConfigAdmin's (see {@link BootConfig}), else the default. */
    private String prop(BundleContext context, String key, String dflt) {
        String v = context.getProperty(key);
        if (v == null || v.isEmpty()) {
            v = config.get(key);
        }
        return v == null || v.isEmpty() ? dflt : v;
    }
}
