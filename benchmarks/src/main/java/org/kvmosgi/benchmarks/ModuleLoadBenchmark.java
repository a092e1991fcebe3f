package org.kvmosgi.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.kvmosgi.console.api.CommandFailure;
import org.kvmosgi.kernel.Kernel;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.KernelCore;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kernel.inject.FailFunction;
import org.kvmosgi.kernel.printk.KernelLog;
import org.kvmosgi.kernel.printk.LogBuffer;
import org.kvmosgi.kernel.testkit.Hosts;
import org.kvmosgi.kernel.testkit.TestKernel;
import org.kvmosgi.kmod.lib.KmodCache;
import org.kvmosgi.kmod.tool.DepmodTool;
import org.kvmosgi.kmod.tool.Modprobe;
import org.kvmosgi.kmod.tool.Rmmod;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * µs per {@code modprobe MODULE} and {@code modprobe -r MODULE} of the kvm-x86 feature's
 * real module files on the framework-free kernel, as the explorer's model engine runs a
 * load step: the kernel built by {@code Kernel.withoutFramework} (as its {@code ModelKernel}
 * builds it), the module files below /lib/modules with depmod's indexes, and kmod's
 * {@link Modprobe} made anew for each command over one {@link KmodCache} (per {@code kmodCache}). One operation is
 * the load and the unload: for kvm_intel that is finit_module of kvm.ko then kvm-intel.ko
 * (each init run) and delete_module of both (each exit run).
 *
 * <p>{@code rawLoadUnload} makes the same finit_module and delete_module calls without kmod.
 * {@code modprobeLive} and {@code rmmodNotLoaded} measure kmod's own share of a step, with
 * no finit_module or delete_module under it: {@code modprobe MODULE} while the module is
 * live (the configuration, the lookup, the load list, the initstate reads, then nothing to
 * do) and {@code rmmod kvm_amd}, which is not loaded (rmmod's stat of its argument, the
 * initstate read, its error).
 *
 * <p>The module classes come from the module files, on the kernel's own class loaders, not
 * from this class path (which has kvm-x86 for {@link ExitPathBenchmark}): {@link Headers}
 * hides the modules' packages from them, as the explorer's class loader does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1000, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 1000, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
public class ModuleLoadBenchmark {
    /** The kvm-x86 feature's module files (features/src/main/features/kvm-x86.json), as copied by this module's pom. */
    static final Map<String, String> FILES = Map.of(
            "kvm-x86-kvm.jar", "kernel/arch/x86/kvm/kvm.ko",
            "kvm-x86-kvm-intel.jar", "kernel/arch/x86/kvm/kvm-intel.ko",
            "kvm-x86-kvm-amd.jar", "kernel/arch/x86/kvm/kvm-amd.ko",
            "kvm-x86-kvmgt.jar", "kernel/drivers/gpu/drm/i915/kvmgt.ko");

    /** What modprobe loads and removes: kvm_intel (with kvm under it) or kvm alone. */
    @Param({"kvm_intel", "kvm"})
    public String module;

    /** kvm.dispatch= (modprobe.d's {@code options kvm}): how kvm_ops_update wires the core to the vendor. */
    @Param({"static_call", "ops"})
    public String dispatch;

    /**
     * How kmod's {@link KmodCache} knows its files are current: {@code stat} checks them at
     * every command, as the shell's commands do; {@code ownRoot} only after a write through
     * its own calls, as the explorer's model does ({@link KmodCache#forOwnRoot()}).
     */
    @Param({"ownRoot", "stat"})
    public String kmodCache;

    private Path root;
    private Syscalls sys;
    private KmodCache cache;
    private final PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());

    @Setup(Level.Trial)
    public void boot(BenchmarkParams params) throws IOException {
        root = Files.createTempDirectory("module-load-bench");
        Path dir = root.resolve("lib/modules/" + TestKernel.RELEASE);
        Path files = moduleFiles();
        for (Map.Entry<String, String> f : FILES.entrySet()) {
            Path to = dir.resolve(f.getValue());
            Files.createDirectories(to.getParent());
            Files.copy(files.resolve(f.getKey()), to);
        }
        Path conf = root.resolve("etc/modprobe.d/kvm.conf");
        Files.createDirectories(conf.getParent());
        Files.writeString(conf, "options kvm dispatch=" + dispatch + "\n");
        // as ModelKernel boots the explorer's model kernel
        KernelLog log = new KernelLog(null, new LogBuffer(System.nanoTime(), 8192));
        KernelCore core = KernelCore.of(new KernelCore.Boot(Hosts.profile("intel"), TestKernel.RELEASE, "", root,
                KernelCore.SYMBOL_WAIT_MILLIS, FailFunction.DEFAULT_SEED), log);
        sys = Kernel.withoutFramework(core, new Headers(ModuleLoadBenchmark.class.getClassLoader())).syscalls();
        if (kmodCache.equals("ownRoot")) {
            cache = KmodCache.forOwnRoot();
            sys = cache.tracking(sys);
        } else {
            cache = new KmodCache();
        }
        core.requestModule().setHelper(argv -> Modprobe.usermodeHelper(sys, cache, argv));
        new DepmodTool(sys, quiet, quiet).depmodAndReport(TestKernel.RELEASE);
        // files an hour old, as an installed system's are: kmod keeps no parse of a file changed
        // within the last two seconds (it could change again unseen), which would be every
        // command of a short warm-up
        FileTime hourAgo = FileTime.fromMillis(System.currentTimeMillis() - 3_600_000L);
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.setLastModifiedTime(p, hourAgo);
            }
        }
        // one load and unload, checked: the module is live in between and gone after
        checked(module);
        String loaded = read("/proc/modules");
        if (!loaded.startsWith(module + " ")) {
            throw new IllegalStateException("modprobe " + module + " left /proc/modules as:\n" + loaded);
        }
        String wired = read("/sys/module/kvm/parameters/dispatch").trim();
        if (!wired.equals(dispatch)) {
            throw new IllegalStateException("kvm.dispatch is " + wired + ", not " + dispatch);
        }
        checked("-r", module);
        if (!read("/proc/modules").isEmpty()) {
            throw new IllegalStateException("modprobe -r " + module + " left:\n" + read("/proc/modules"));
        }
        if (params.getBenchmark().endsWith("Live")) {
            checked(module);
        }
    }

    @TearDown(Level.Trial)
    public void removeRoot() throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public void loadUnload() {
        modprobe(module);
        modprobe("-r", module);
    }

    /**
     * The loads and unloads of {@link #loadUnload} made by the system calls alone, with the
     * options modprobe passes: {@code loadUnload} less this is kmod's share of the step.
     */
    @Benchmark
    public void rawLoadUnload() throws ErrnoException {
        String dir = "/lib/modules/" + TestKernel.RELEASE + "/";
        sys.finitModule(dir + FILES.get("kvm-x86-kvm.jar"), "dispatch=" + dispatch + " ", 0);
        if (module.equals("kvm_intel")) {
            sys.finitModule(dir + FILES.get("kvm-x86-kvm-intel.jar"), "", 0);
            sys.deleteModule("kvm_intel", Syscalls.O_NONBLOCK);
        }
        sys.deleteModule("kvm", Syscalls.O_NONBLOCK);
    }

    @Benchmark
    public void modprobeLive() {
        modprobe(module);
    }

    @Benchmark
    public Object rmmodNotLoaded() {
        try {
            new Rmmod(sys, quiet, quiet).cachedIn(cache).main("kvm_amd");
            throw new IllegalStateException("rmmod kvm_amd succeeded");
        } catch (CommandFailure expected) {
            return expected;
        }
    }

    /** modprobe ARGS as the explorer's model runs it: a new tool over the shared cache; a failure throws. */
    private void modprobe(String... args) {
        new Modprobe(sys, quiet, quiet).cachedIn(cache).main(args);
    }

    /** modprobe ARGS at setup: a failure says what modprobe printed. */
    private void checked(String... args) {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        try {
            new Modprobe(sys, quiet, new PrintStream(err, true)).cachedIn(cache).main(args);
        } catch (RuntimeException e) {
            throw new IllegalStateException("modprobe " + String.join(" ", args) + ": " + err + e.getMessage(), e);
        }
    }

    private String read(String path) {
        try {
            return sys.read(path);
        } catch (org.kvmosgi.kernel.api.ErrnoException e) {
            throw new IllegalStateException(path + ": " + e.strerror(), e);
        }
    }

    /** target/module-files next to this class's target/classes (benchmarks/run's class path). */
    private static Path moduleFiles() {
        URL classes = ModuleLoadBenchmark.class.getProtectionDomain().getCodeSource().getLocation();
        try {
            Path dir = Path.of(classes.toURI()).getParent().resolve("module-files");
            if (!Files.isDirectory(dir)) {
                throw new UncheckedIOException(new IOException(dir + " is missing: run benchmarks/run, which builds it"));
            }
            return dir;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The module files' parent class loader: the kernel's and the APIs' classes of this class
     * path without the modules' own packages, which kvm-x86's jar here also has.
     */
    static final class Headers extends ClassLoader {
        Headers(ClassLoader parent) {
            super("module headers", parent);
        }

        private static boolean moduleCode(String name) {
            return name.startsWith("org.kvmosgi.kvm.x86.") || name.startsWith("org.kvmosgi.kvm.virt.")
                    || name.startsWith("org/kvmosgi/kvm/x86/") || name.startsWith("org/kvmosgi/kvm/virt/");
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (moduleCode(name)) {
                throw new ClassNotFoundException(name);
            }
            return super.loadClass(name, resolve);
        }

        @Override
        public URL getResource(String name) {
            return moduleCode(name) ? null : super.getResource(name);
        }
    }
}
