package org.kvmosgi.explorer.direct;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.kvmosgi.console.api.CommandFailure;
import org.kvmosgi.diag.model.Checks;
import org.kvmosgi.diag.model.Finding;
import org.kvmosgi.diag.model.Loaded;
import org.kvmosgi.diag.model.ModuleFile;
import org.kvmosgi.diag.model.Snapshot;
import org.kvmosgi.diag.model.SnapshotReader;
import org.kvmosgi.diag.model.WhyAnalysis;
import org.kvmosgi.diag.model.WhyPrinter;
import org.kvmosgi.explorer.Op;
import org.kvmosgi.explorer.Platform;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kmod.lib.KmodCache;
import org.kvmosgi.kmod.tool.Modprobe;
import org.kvmosgi.kmod.tool.Rmmod;
import org.kvmosgi.kmod.tool.Tee;
import org.kvmosgi.kmod.tool.Tool;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceReference;

/**
 * A platform's kernel driven through its system calls by the tools' own classes: what
 * {@code modprobe M}, {@code rmmod M}, {@code failfn inject P}, {@code vmfd create T},
 * {@code vmfd destroy FD}, {@code invariants} and {@code why vm T} do behind their
 * command lines, without Gogo's parsing, coercion and output capture; kvmtool's {@code vm}
 * subcommands on a VMM of this platform's own (its VM table), and {@code felix:stop} and
 * {@code felix:start} as the framework's stop and start of the module's bundle. Loaded
 * through {@code BundleBridge}, so every class here links against the platform's own.
 */
public final class DirectPlatform implements Platform {
    static final String FF = "/sys/kernel/debug/fail_function";
    static final String KERNEL_INVARIANTS = "/sys/kernel/debug/kvmosgi/invariants";
    static final String RESET = "/sys/kernel/debug/kvmosgi/reset";
    static final String CHECKPOINT = "/sys/kernel/debug/kvmosgi/checkpoint";
    static final String OPS_OWNERS = "/sys/kernel/debug/kvmosgi/ops_owners";
    static final String TAINTED = "/proc/sys/kernel/tainted";
    /** _IO(KVMIO, 0x01), as diag's probe makes it. */
    static final int KVM_CREATE_VM = 0xAE01;

    /**
     * What a framework's start and stop of a module file's bundle do, for a model kernel,
     * which has no framework: the kernel's own stand-in ({@code JarModuleFiles}' raw start
     * and stop), the same loader steps a module bundle's activator runs.
     */
    public interface RawBundles {
        /** The bundle id a framework would have given the module's file; -1 when it has no bundle. */
        long id(String module);

        /** The bundle's start: 0 or the load's -errno. */
        int start(String module);

        /** The bundle's stop. */
        void stop(String module);
    }

    private final Syscalls sys;
    /** {@code sys} as the tools and this platform's own steps call it: their kernel-changing calls written down. */
    private final RecordingSyscalls rec;
    /** The kernel-changing calls of the last {@link #apply}, null when not recorded. */
    private List<Call> lastCalls;
    private final String host;
    private final BundleContext context;
    /** A model kernel's stand-in for the framework's bundle start and stop; null on a framework. */
    private final RawBundles rawBundles;
    /** The VMM: kvmtool's commands on a VM table of their own; null when the features have no kvmtool. */
    private final DirectVmm vmm;
    /** What kmod's DS commands share between calls: the indexes stay parsed across steps. */
    private final KmodCache cache;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
    private final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    /** The module directory as the first check read it (see {@link #moduleDir}). */
    private SnapshotReader.ModuleDir moduleDir;
    /** The last snapshot made and the files it was made of. */
    private SnapshotReader.Live snapshotOf;
    private Snapshot snapshot;
    /** The last check and what it read: a kernel that reads the same is checked the same. */
    private Read lastRead;
    private Check lastCheck;
    /** The log whose bug lines {@code bugs} are (see {@link #bugLines}). */
    private List<String> bugsOf;
    private List<String> bugs = List.of();
    /** The log whose dmesg text {@code text} is (see {@link #dmesg}). */
    private List<String> textOf;
    private String text;

    public DirectPlatform(BundleContext context, String host) {
        this.host = host;
        this.context = context;
        this.rawBundles = null;
        // all references: the context is the system bundle's, whose class path may hold another copy of kernel-api
        ServiceReference<?>[] refs;
        try {
            refs = context.getAllServiceReferences(Syscalls.class.getName(), null);
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        Object service = refs == null ? null : context.getService(refs[0]);
        if (!(service instanceof Syscalls)) {
            throw new IllegalStateException("the platform offers no system calls (is the kernel bundle started?)");
        }
        this.sys = (Syscalls) service;
        // the framework's own components (depmod at activation) write the root too: checked by stat
        this.cache = new KmodCache();
        this.rec = new RecordingSyscalls(sys);
        this.vmm = bundle("kvmtool") == null ? null : new DirectVmm(sys);
    }

    /**
     * A platform on {@code sys}: a model kernel's system calls (see {@link ModelKernel}),
     * with kvmtool's VMM when the platform's jars have it, and {@code rawBundles} for the
     * raw stops and starts a framework would make of module bundles.
     */
    public DirectPlatform(Syscalls sys, String host, boolean withVmm, RawBundles rawBundles) {
        // the model's root is this platform's alone, and every write to it goes through these calls
        this.cache = KmodCache.forOwnRoot();
        this.sys = cache.tracking(sys);
        this.rec = new RecordingSyscalls(this.sys);
        this.host = host;
        this.context = null;
        this.rawBundles = rawBundles;
        this.vmm = withVmm ? new DirectVmm(this.sys) : null;
    }

    @Override
    public void reset() {
        if (vmm != null) {
            vmm.closeAll();
        }
        try {
            sys.write(RESET, "1");
        } catch (ErrnoException e) {
            throw new IllegalStateException("kreset failed: " + e.strerror(), e);
        }
        sys.syslog(true);
    }

    @Override
    public Step apply(Op op, int newestVmFd) {
        rec.take();
        Step s = run(op, newestVmFd);
        // the VMM's steps and raw stops and starts are not written down: they go past these system calls
        lastCalls = !s.threw() && switch (op.kind()) {
            case LOAD, LOAD_WITH, UNLOAD, FORCE_UNLOAD, WRITE_PARAM, ARM, VM_CREATE, VM_DESTROY -> true;
            default -> false;
        } ? rec.take() : null;
        return s;
    }

    @Override
    public List<Call> lastCalls() {
        return lastCalls;
    }

    @Override
    public boolean replay(List<Call> calls) {
        return RecordingSyscalls.replay(sys, calls);
    }

    private Step run(Op op, int newestVmFd) {
        out.reset();
        err.reset();
        try {
            return switch (op.kind()) {
                case LOAD, LOAD_WITH -> tool(new Modprobe(rec, outStream, errStream).cachedIn(cache), op.arg());
                case UNLOAD -> tool(new Rmmod(rec, outStream, errStream).cachedIn(cache), op.arg());
                case FORCE_UNLOAD -> tool(new Rmmod(rec, outStream, errStream).cachedIn(cache), "-f " + op.arg());
                case WRITE_PARAM -> writeParam(op.paramPath(), op.paramValue());
                case ARM -> arm(op.arg());
                case VM_CREATE -> createVm(Long.parseLong(op.arg()));
                case VM_DESTROY -> destroyVm(newestVmFd);
                case VMM_CREATE, VCPU_CREATE, VM_RUN, PV_LOCK, VMM_DESTROY -> vm(op);
                case RAW_STOP -> raw(op.module(), false);
                case RAW_START -> raw(op.module(), true);
            };
        } catch (CommandFailure f) {
            return new Step(f.status(), errText() + f.getMessage() + "\n", false, -1);
        } catch (RuntimeException e) {
            return new Step(1, errText() + "gogo: " + e.getClass().getSimpleName() + ": " + e.getMessage() + "\n", true,
                    -1);
        }
    }

    private Step tool(Tool tool, String args) {
        tool.main(args.split(" "));
        return new Step(0, errText(), false, -1);
    }

    /** A {@code vm SUBCOMMAND ARGS} line run by kvmtool's class for the subcommand. */
    private Step vm(Op op) {
        if (vmm == null) {
            // what the shell says for a command no bundle offers
            throw new CommandFailure("gogo: CommandNotFoundException: Command not found: vm");
        }
        vmm.run(op, outStream);
        return new Step(0, errText(), false, -1);
    }

    /**
     * felix:stop and felix:start: the framework's stop or start of the module's bundle. As
     * Felix's commands do, a BundleException is printed (its cause's text when it has one) and
     * the command still succeeds.
     */
    private Step raw(String module, boolean start) {
        if (rawBundles != null) {
            if (rawBundles.id(module) < 0) {
                throw new CommandFailure("felix:" + (start ? "start" : "stop") + ": no bundle of module " + module);
            }
            if (!start) {
                rawBundles.stop(module);
            } else {
                int r = rawBundles.start(module);
                if (r < 0) {
                    // what Felix prints for the activator's BundleException: its cause
                    errStream.println(new org.kvmosgi.kernel.api.ModuleLoadError(module, r));
                }
            }
            return new Step(0, errText(), false, -1);
        }
        Bundle b = bundle(module);
        if (b == null) {
            throw new CommandFailure("felix:" + (start ? "start" : "stop") + ": no bundle of module " + module);
        }
        try {
            if (start) {
                b.start();
            } else {
                b.stop();
            }
        } catch (BundleException e) {
            errStream.println(e.getCause() != null ? e.getCause().toString() : e.toString());
        }
        return new Step(0, errText(), false, -1);
    }

    private Bundle bundle(String module) {
        if (context == null) {
            return null; // a model kernel: no framework
        }
        for (Bundle b : context.getBundles()) {
            // the bundle is the module file, named as the file is (kvm-hv.ko is module kvm_hv)
            if (b.getSymbolicName() != null && module.equals(b.getSymbolicName().replace('-', '_'))) {
                return b;
            }
        }
        return null;
    }

    @Override
    public long bundleId(String module) {
        if (rawBundles != null) {
            return rawBundles.id(module);
        }
        Bundle b = bundle(module);
        return b == null ? -1 : b.getBundleId();
    }

    @Override
    public String read(String path) {
        try {
            return sys.read(path);
        } catch (ErrnoException e) {
            return "";
        }
    }

    /** echo VALUE | tee PATH: kmod's tee given echo's line. */
    private Step writeParam(String path, String value) {
        java.io.InputStream echo = new java.io.ByteArrayInputStream((value + "\n").getBytes(StandardCharsets.UTF_8));
        return tool(new Tee(rec, echo, outStream, errStream), path);
    }

    /** failfn inject P: the point fails once with -EINVAL, as failfn's defaults arm it. */
    private Step arm(String point) {
        write(FF + "/inject", point);
        write(FF + "/" + point + "/retval", "-22");
        write(FF + "/probability", "100");
        write(FF + "/interval", "1");
        write(FF + "/times", "1");
        return new Step(0, "", false, -1);
    }

    @Override
    public void disarm() {
        write(FF + "/inject", "");
    }

    private void write(String path, String value) {
        try {
            rec.write(path, value);
        } catch (ErrnoException e) {
            throw new CommandFailure("failfn: write of '" + value + "' to " + path + " failed: " + e.strerror());
        }
    }

    private Step createVm(long type) {
        int kvm;
        try {
            kvm = rec.open("/dev/kvm");
        } catch (ErrnoException e) {
            throw new CommandFailure("vmfd: cannot open /dev/kvm: " + e.strerror());
        }
        try {
            return new Step(0, "", false, (int) rec.ioctl(kvm, KVM_CREATE_VM, Long.valueOf(type)));
        } catch (ErrnoException e) {
            throw new CommandFailure("vmfd: KVM_CREATE_VM(" + type + ") failed: " + e.strerror());
        } finally {
            try {
                rec.close(kvm);
            } catch (ErrnoException e) {
                // closed already
            }
        }
    }

    private Step destroyVm(int fd) {
        try {
            rec.close(fd);
            return new Step(0, "", false, -1);
        } catch (ErrnoException e) {
            throw new CommandFailure("vmfd: close of fd " + fd + " failed: " + e.strerror());
        }
    }

    private void closeQuietly(int fd) {
        try {
            sys.close(fd);
        } catch (ErrnoException e) {
            // closed already
        }
    }

    private String errText() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Override
    public long failTimes() {
        try {
            return Long.parseLong(sys.read(FF + "/times").trim());
        } catch (ErrnoException | NumberFormatException e) {
            throw new IllegalStateException("cannot read fail_function's times: " + e.getMessage(), e);
        }
    }

    @Override
    public Check check() {
        Read r = readAll();
        if (r.equals(lastRead)) {
            // the kernel reads as it did at the last check (a step that changed nothing): the checks see what they saw
            return lastCheck;
        }
        Snapshot s = snapshot(r.live());
        List<String> violations = new ArrayList<>();
        Checks.check(s, r.kernel().lines().filter(l -> !l.isBlank()).toList(), SnapshotReader.opsOwners(r.opsOwners()),
                bugLines(r.log())).stream().map(String::trim).filter(l -> !l.isEmpty()).forEach(violations::add);
        SortedSet<String> loaded = new TreeSet<>();
        for (Loaded l : s.loaded()) {
            loaded.add(l.name() + "/" + l.refcnt() + (l.live() ? "" : "/" + l.state()));
        }
        lastRead = r;
        lastCheck = new Check(List.copyOf(violations), Collections.unmodifiableSortedSet(loaded),
                Collections.unmodifiableSortedSet(new TreeSet<>(s.devices())), r);
        return lastCheck;
    }

    /**
     * The log's lines that report a bug, the only ones diag's checks look at in the log
     * ({@code BUG: }): the lines read before are not searched again while the log only grows
     * (each line is the log's own string, so a line still there is the same object).
     */
    List<String> bugLines(List<String> log) {
        boolean grew = grew(bugsOf, log);
        if (grew && bugsOf.size() == log.size()) {
            return bugs;
        }
        int from = grew ? bugsOf.size() : 0;
        List<String> found = grew ? new ArrayList<>(bugs) : new ArrayList<>();
        for (int i = from; i < log.size(); i++) {
            if (log.get(i).contains("BUG: ")) {
                found.add(log.get(i));
            }
        }
        bugsOf = log;
        bugs = found;
        return found;
    }

    /** Whether {@code now} is {@code before} with lines added after it (the same line objects first). */
    private static boolean grew(List<String> before, List<String> now) {
        if (before == null || now.size() < before.size()) {
            return false;
        }
        for (int i = before.size() - 1; i >= 0; i--) {
            if (now.get(i) != before.get(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Object mark() {
        return readAll();
    }

    @Override
    public void save(int slot) {
        try {
            sys.write(CHECKPOINT, "save " + slot);
        } catch (ErrnoException e) {
            throw new IllegalStateException("the kernel's checkpoint failed: " + e.strerror(), e);
        }
    }

    @Override
    public Object undo(Object before, int slot) {
        Read was = (Read) before;
        List<String> then = moduleNames(was.live().modules());
        List<String> now = moduleNames(read("/proc/modules"));
        if (!now.containsAll(then)) {
            return null; // a module went: loading it again needs the parameters it had
        }
        try {
            for (String m : now) {
                if (!then.contains(m)) {
                    // newest first, as /proc/modules lists them: each one's users went before it
                    sys.deleteModule(m, Syscalls.O_NONBLOCK);
                }
            }
            String armed = was.live().inject();
            if (armed.isBlank() && !read(FF + "/inject").isBlank()) {
                sys.write(FF + "/inject", ""); // armed since: disarmed
            }
            String times = read(FF + "/times");
            if (!times.equals(was.failTimes())) {
                sys.write(FF + "/times", was.failTimes().trim());
            }
            sys.write(CHECKPOINT, "restore " + slot);
        } catch (ErrnoException e) {
            // the kernel is somewhere between: the mark after says so
        }
        return readAll();
    }

    /** The names /proc/modules lists, newest first (diag's parse of it). */
    private static List<String> moduleNames(String procModules) {
        return Loaded.parse(procModules).stream().map(Loaded::name).toList();
    }

    /** What a check reads from the kernel, as read; equal when the kernel looks the same to every check. */
    private record Read(SnapshotReader.Live live, String kernel, String opsOwners, String tainted, String failTimes,
            List<String> log) {}

    private Read readAll() {
        String kernel;
        try {
            kernel = sys.read(KERNEL_INVARIANTS);
        } catch (ErrnoException e) {
            throw new IllegalStateException("cannot read the kernel's invariants: " + e.strerror(), e);
        }
        return new Read(SnapshotReader.Live.read(sys), kernel, read(OPS_OWNERS), read(TAINTED), read(FF + "/times"),
                sys.syslog(false));
    }

    /**
     * The snapshot of the kernel's files {@code live}: the last one made when they read the
     * same (why's analysis of a VM creation and the check after it read the kernel as the step left it).
     */
    private Snapshot snapshot(SnapshotReader.Live live) {
        if (!live.equals(snapshotOf)) {
            snapshot = SnapshotReader.of(host, moduleDir(), live);
            snapshotOf = live;
        }
        return snapshot;
    }

    /**
     * The module files and depmod's indexes, read once: none of the explorer's operations
     * writes below /lib/modules, and reading them (a directory walk, a stat a file) cost a
     * fifth of a check.
     */
    private SnapshotReader.ModuleDir moduleDir() {
        if (moduleDir == null) {
            moduleDir = SnapshotReader.ModuleDir.read(sys);
        }
        return moduleDir;
    }

    @Override
    public List<String> whyVmContradictions(long type) {
        Snapshot s = snapshot(SnapshotReader.Live.read(sys));
        Integer observed = s.devices().contains("kvm") ? tryCreate(type) : null;
        Finding f = new WhyAnalysis(s).vm(type, observed);
        List<String> out = new ArrayList<>();
        Consumer<String> keep = l -> {
            if (l.contains("contradicts the layout")) {
                out.add(l.trim());
            }
        };
        new WhyPrinter(keep).print(f);
        return out;
    }

    /** What why's probe does: a VM created and destroyed, 0 or -errno. */
    private int tryCreate(long type) {
        try {
            int kvm = sys.open("/dev/kvm");
            try {
                sys.close((int) sys.ioctl(kvm, KVM_CREATE_VM, Long.valueOf(type)));
                return 0;
            } finally {
                closeQuietly(kvm);
            }
        } catch (ErrnoException e) {
            return -e.errno();
        }
    }

    @Override
    public List<Set<String>> moduleGroups() {
        Map<String, ModuleFile> files = moduleDir().files();
        Map<String, String> parent = new HashMap<>();
        files.keySet().forEach(m -> parent.put(m, m));
        Map<String, String> exporter = new HashMap<>();
        Set<String> requesters = new TreeSet<>();
        for (ModuleFile f : files.values()) {
            for (String sym : f.exports()) {
                String other = exporter.putIfAbsent(sym, f.name());
                if (other != null) {
                    union(parent, other, f.name());
                }
            }
            if (callsRequestModule(f)) {
                requesters.add(f.name());
            }
        }
        for (ModuleFile f : files.values()) {
            f.imports().stream().map(exporter::get).filter(e -> e != null).forEach(e -> union(parent, e, f.name()));
            if (f.softdep() != null) {
                for (String w : f.softdep().split("\\s+")) {
                    String n = Snapshot.modname(w);
                    if (files.containsKey(n)) {
                        union(parent, n, f.name());
                    }
                }
            }
        }
        Map<String, Set<String>> groups = new TreeMap<>();
        files.keySet().stream().filter(m -> !requesters.contains(m))
                .forEach(m -> groups.computeIfAbsent(find(parent, m), r -> new TreeSet<>()).add(m));
        return new ArrayList<>(groups.values());
    }

    private static String find(Map<String, String> parent, String m) {
        String p = parent.get(m);
        return p.equals(m) ? m : find(parent, p);
    }

    private static void union(Map<String, String> parent, String a, String b) {
        parent.put(find(parent, a), find(parent, b));
    }

    /** Whether the module file's classes call KernelServices.requestModule (its name in a constant pool). */
    private boolean callsRequestModule(ModuleFile f) {
        java.nio.file.Path p = sys.hostPath(f.path());
        if (p == null) {
            return true;
        }
        byte[] name = "requestModule".getBytes(StandardCharsets.UTF_8);
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(p.toFile())) {
            for (var e : java.util.Collections.list(jar.entries())) {
                if (e.getName().endsWith(".class")) {
                    try (java.io.InputStream in = jar.getInputStream(e)) {
                        if (contains(in.readAllBytes(), name)) {
                            return true;
                        }
                    }
                }
            }
            return false;
        } catch (java.io.IOException e) {
            return true;
        }
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Override
    public String dmesg() {
        List<String> log = sys.syslog(false);
        if (!grew(textOf, log)) {
            text = String.join("\n", log);
        } else if (log.size() > textOf.size()) {
            // the runner reads dmesg several times a step: only what was logged since the last read is joined
            String added = String.join("\n", log.subList(textOf.size(), log.size()));
            text = textOf.isEmpty() ? added : text + "\n" + added;
        }
        textOf = log;
        return text;
    }
}
