package org.kvmosgi.explorer.direct;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.kvmosgi.explorer.Platform;
import org.kvmosgi.kernel.Kernel;
import org.kvmosgi.kernel.KernelCore;
import org.kvmosgi.kernel.api.Printk;
import org.kvmosgi.kernel.api.host.Host;
import org.kvmosgi.kernel.fs.JarModuleFiles;
import org.kvmosgi.kernel.host.HostProfiles;
import org.kvmosgi.kernel.inject.FailFunction;
import org.kvmosgi.kernel.printk.KernelLog;
import org.kvmosgi.kernel.printk.LogBuffer;
import org.kvmosgi.kmod.lib.KmodCache;
import org.kvmosgi.kmod.tool.DepmodTool;
import org.kvmosgi.kmod.tool.Modprobe;

/**
 * The model kernel: the kernel's own subsystems, loader and system calls built without a
 * framework ({@code Kernel.withoutFramework}), the module files of the root on plain class
 * loaders, user space (kmod, diag) called directly as {@link DirectPlatform} calls it on a
 * real platform. What the kernel bundle's activator and kmod's boot component do, in their
 * order: the banner, the subsystems, the host line, request_module's user-mode helper (the
 * model's own modprobe, where the platform runs it in a Gogo session), and depmod -A.
 * Loaded by the explorer's {@code ModelClasses}, which holds one copy of the platform's
 * classes per model.
 */
public final class ModelKernel {
    /** As the kernel bundle's activator sizes the ring buffer. */
    static final int LOG_RECORDS = 8192;

    private ModelKernel() {}

    /** Boots a model of {@code root}'s kernel on host profile {@code hostName}; the platform that drives it. */
    public static Platform boot(Path root, String hostName, String release) {
        Host host = HostProfiles.get(hostName);
        if (host == null) {
            throw new IllegalArgumentException("unknown host profile '" + hostName + "'");
        }
        KernelLog log = new KernelLog(null, new LogBuffer(System.nanoTime(), LOG_RECORDS));
        Printk printk = log.printk("");
        String cmdline = "";
        printk.notice("Linux version %s (kvm-osgi) #1 SMP PREEMPT_DYNAMIC", release);
        printk.info("Command line: %s", cmdline);
        KernelCore core = KernelCore.of(new KernelCore.Boot(host, release, cmdline, root.toAbsolutePath().normalize(),
                KernelCore.SYMBOL_WAIT_MILLIS, FailFunction.DEFAULT_SEED), log);
        Kernel kernel = Kernel.withoutFramework(core, ModelKernel.class.getClassLoader());
        printk.info("Host profile: %s (%s)", host.profile(), host.description());
        if (host instanceof HostProfiles.SimHost sim) {
            sim.bootMessages().forEach(m -> printk.err("%s", m));
        }
        var sys = kernel.syscalls();
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        KmodCache cache = new KmodCache();
        core.requestModule().setHelper(argv -> Modprobe.usermodeHelper(sys, cache, argv));
        new DepmodTool(sys, quiet, quiet).depmodAndReport(release);
        boolean kvmtool = ModelKernel.class.getClassLoader().getResource("org/kvmosgi/kvmtool/command/Kvmtool.class") != null;
        // the framework's raw start and stop of a module bundle: the kernel's stand-in for them
        JarModuleFiles files = (JarModuleFiles) kernel.moduleFiles();
        return new DirectPlatform(sys, hostName, kvmtool, new DirectPlatform.RawBundles() {
            @Override
            public long id(String module) {
                return files.rawId(module);
            }

            @Override
            public int start(String module) {
                return files.rawStart(module);
            }

            @Override
            public void stop(String module) {
                files.rawStop(module);
            }
        });
    }
}
