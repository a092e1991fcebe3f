package org.kvmosgi.explorer;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;
import org.kvmosgi.launcher.RootFs;

/**
 * {@code ./kvmsh --explore ...}: boots one platform per worker, explores, prints the
 * summary and writes the reproducers. Exit status 0 when no rule was violated, 1 when one
 * was, 2 for a usage mistake.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        int status;
        try {
            status = run(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage().startsWith("Usage:") ? e.getMessage() : "kvmsh: " + e.getMessage());
            status = e.getMessage().startsWith("Usage:") ? 0 : 2;
        } catch (Exception e) {
            System.err.println("kvmsh: explore: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            status = 1;
        }
        System.out.flush();
        System.exit(status);
    }

    static int run(String[] args) throws Exception {
        Options o = Options.parse(args);
        Path state = Path.of(System.getProperty("kvmosgi.state", ".kvmsh")).toAbsolutePath();
        if (!o.merge().isEmpty()) {
            List<ShardResult> shards = new ArrayList<>();
            o.merge().forEach(f -> shards.add(ShardResult.read(f)));
            return conclude(ShardResult.merge(shards, o.merge().stream().map(Path::toString).toList()), shards.size(),
                    o, o.outOr(state).toAbsolutePath());
        }
        String homeProp = System.getProperty("kvmosgi.home");
        if (homeProp == null) {
            throw new IllegalArgumentException("kvmosgi.home is not set: start the explorer with ./kvmsh --explore");
        }
        Path home = Path.of(homeProp).toAbsolutePath();
        List<String> available = RootFs.availableFeatures(home);
        for (String f : o.features()) {
            if (!available.contains(f) || f.equals(RootFs.PLATFORM)) {
                throw new IllegalArgumentException("unknown feature '" + f + "' (available: " + String.join(", ",
                        available.stream().filter(n -> !n.equals(RootFs.PLATFORM)).toList()) + ")");
            }
        }
        Files.createDirectories(state);
        System.setProperty("kvmosgi.state", state.toString());
        System.setProperty("org.jline.terminal.dumb", "true");
        Path work = Files.createTempDirectory(state, "explore-");
        Path out = o.outOr(state).toAbsolutePath();
        List<String> features = new ArrayList<>();
        features.add(RootFs.PLATFORM);
        features.addAll(o.features());

        List<ProcessShell> shells = Collections.synchronizedList(new ArrayList<>());
        List<FelixShell> platforms = Collections.synchronizedList(new ArrayList<>());
        List<Platform> models = Collections.synchronizedList(new ArrayList<>());
        Oracle oracle = null;
        try {
            long bootStart = System.nanoTime();
            bootAll(home, features, o, work, shells, platforms, models);
            int workerCount = o.shell() ? shells.size() : o.engine().equals("model") ? models.size() : platforms.size();
            System.err.printf("explore: %d %s in %.1f s (%s on %s)%s%n", workerCount,
                    o.engine().equals("model") ? "model kernels booted" : "platforms booted",
                    (System.nanoTime() - bootStart) / 1e9, String.join(", ", o.features()), o.host(),
                    o.shell() ? ", each step a shell command line" : o.engine().equals("model")
                            ? ", without a framework, checked by a real platform's shell"
                            : ", steps called directly, checked by a shell's");
            Shell lister = o.shell() || platforms.isEmpty() ? shells.get(0) : platforms.get(0);
            List<String> modules = modules(work.resolve("worker-0/root"), o.modules());
            List<String> points = points(lister, modules, o.points());
            // the unified PowerPC kvm carries HV and PR itself: kvm_hv and kvm_pr are its aliases, not files
            boolean unified = modules.equals(List.of("kvm"))
                    && lister.run("cat /proc/sys/kernel/arch").out().trim().startsWith("ppc");
            boolean power = modules.contains("kvm_hv") || modules.contains("kvm_pr") || unified;
            List<Long> vmTypes = power ? List.of(0L, 1L, 2L) : List.of(0L);
            System.err.println("explore: " + modules.size() + " modules, " + points.size() + " injection points"
                    + (o.shard().count() > 1 ? ", shard " + o.shard() : ""));
            List<Function<List<Op>, SequenceRunner.Outcome>> workers = new ArrayList<>();
            List<DirectRunner> runners = new ArrayList<>();
            if (o.shell()) {
                shells.forEach(s -> workers.add(new SequenceRunner(s)::run));
            } else {
                Map<List<Op>, DirectRunner.Recorded> traces = new java.util.concurrent.ConcurrentHashMap<>();
                platforms.forEach(p -> runners.add(new DirectRunner(direct(p, o.host()), traces)));
                models.forEach(p -> runners.add(new DirectRunner(p, traces)));
                runners.forEach(r -> workers.add(r::run));
                List<Function<List<Op>, Oracle.Replay>> replays = new ArrayList<>();
                for (ProcessShell real : shells) {
                    SequenceRunner realRunner = new SequenceRunner(real);
                    replays.add(ops -> new Oracle.Replay(realRunner.run(ops), real.run("dmesg").out()));
                }
                oracle = new Oracle(replays, o.oracle(), 1);
            }
            ProgressBar bar = new ProgressBar(System.err, System.console() != null);
            long deadline = System.nanoTime() + o.seconds() * 1_000_000_000L;
            if (o.vmm() && !lister.run("vm help").ok()) {
                throw new IllegalArgumentException("--vmm: the features have no VMM (kvmtool's vm command); "
                        + "explore a KVM feature");
            }
            if (power && o.pvLock()) {
                throw new IllegalArgumentException("--pv-lock: the pv-lock guest is x86's; these modules are PowerPC's");
            }
            List<String> creates = new ArrayList<>();
            if (power) {
                // KVM_CREATE_VM's machine types, one for each of the features' vendor modules
                for (String t : List.of("hv", "pr")) {
                    if (modules.contains("kvm_" + t) || unified) {
                        creates.add("--type " + t);
                    }
                }
                if (creates.isEmpty()) {
                    creates.add("");
                }
            } else {
                creates.add("--irqchip");
            }
            OpSource.Vmm vmm = !o.vmm() ? null : new OpSource.Vmm(creates, o.vcpus(), o.workloads(), o.pvLock());
            Explorer explorer = new Explorer(workers, new OpSource(modules, points, vmTypes, o.params(), o.forced(),
                    vmm, o.rawStops(), o.vms()),
                    o.depth(), deadline,
                    o.reduceGone(), System::nanoTime, bar, o.shard(), oracle);
            if (!o.shell()) {
                explorer.withSleepSets(independence(runners.get(0).platform().moduleGroups()));
            }
            long processCpu = processCpuNanos();
            Explorer.Report report = explorer.explore();
            processCpu = processCpuNanos() - processCpu;
            bar.finish();
            System.err.printf("explore: the workers used %.1f s of CPU: %.1f sequences per CPU second, %.2f ms of CPU a "
                    + "sequence; the whole JVM %.1f s (compilers and collector included), %.2f ms a sequence "
                    + "(load average %.1f on %d cores)%n", explorer.cpuNanos() / 1e9,
                    report.sequences() / (explorer.cpuNanos() / 1e9),
                    explorer.cpuNanos() / 1e6 / Math.max(1, report.sequences()), processCpu / 1e9,
                    processCpu / 1e6 / Math.max(1, report.sequences()),
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                    Runtime.getRuntime().availableProcessors());
            System.err.printf("explore: cut: %d sequences not run (sleep sets: they only reorder commuting operations), "
                    + "%d runs not extended (their state was reached before)%n", explorer.sleepCuts(),
                    explorer.knownStateCuts());
            for (int w = 0; w < runners.size(); w++) {
                DirectRunner r = runners.get(w);
                System.err.printf("explore: worker %d: %d steps replayed, %d runs at their prefix already (after a "
                        + "step that changed nothing: %d, after a step undone: %d), %d undos fell back to a reset "
                        + "and replay, %d prefixes reached from a sibling's by undoing back to their parent, %d "
                        + "armings run from their prefix's check; %s%n", w, r.replayed(), r.reused(), r.unchanged(),
                        r.undone(), r.undoFellBack(), r.backToParent(), r.armings(), r.timeSpent());
                System.err.printf("explore: worker %d: %d replayed steps made by their system calls, %d such replays "
                        + "run again by the tools (a call's result differed)%n", w, r.byCalls(), r.diverged());
            }
            List<ShardResult.Finding> findings = new ArrayList<>();
            for (Explorer.Violation v : report.violations()) {
                Explorer.Violation m = Explorer.minimise(v, workers.get(0));
                findings.add(new ShardResult.Finding(v.signature(), m.message(), v.ops().size(), m.lines()));
            }
            ShardResult.Exploration what = new ShardResult.Exploration(o.features(), o.host(), o.depth(), modules,
                    points, !o.reduceGone(), o.vms());
            int status = conclude(new ShardResult(what, o.shard(), workerCount, report, findings), 0, o, out);
            return oracle == null ? status : Math.max(status, concludeOracle(oracle, o));
        } finally {
            if (oracle != null) {
                oracle.close();
            }
            shells.forEach(ProcessShell::close);
            platforms.forEach(FelixShell::close);
            keepLogs(work, out, shells.size());
            delete(work);
        }
    }

    /** The CPU time this JVM used so far, every thread's (-1 where the JVM cannot tell). */
    private static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
    }

    /**
     * Two operations commute when both act on modules of different groups (see
     * {@link Platform#moduleGroups}): loads, unloads, parameter writes; a module in no group
     * commutes with nothing. Arming, which the
     * next load may trip, and VM operations, which pin whatever provides /dev/kvm, commute
     * with nothing.
     */
    static Explorer.Independence independence(List<java.util.Set<String>> groups) {
        java.util.Map<String, Integer> group = new java.util.HashMap<>();
        for (int i = 0; i < groups.size(); i++) {
            for (String m : groups.get(i)) {
                group.put(m, i);
            }
        }
        return (a, b) -> {
            if (a.module().isEmpty() || b.module().isEmpty()) {
                return false;
            }
            Integer ga = group.get(a.module());
            Integer gb = group.get(b.module());
            return ga != null && gb != null && !ga.equals(gb);
        };
    }

    /** A platform's direct runner: its tools' classes called through a bridge to its bundles. */
    private static Platform direct(FelixShell platform, String host) {
        BundleBridge bridge = new BundleBridge(platform.context());
        return bridge.create("DirectPlatform", Platform.class,
                new Class<?>[] {org.osgi.framework.BundleContext.class, String.class}, platform.context(), host);
    }

    /**
     * Waits for the oracle's replays and says what they showed; 3 (after the summary) when
     * a direct run and its replay through the shell differ: the exploration is not to be trusted.
     */
    private static int concludeOracle(Oracle oracle, Options o) throws InterruptedException {
        long start = System.nanoTime();
        List<Oracle.Difference> differences = oracle.finish();
        PrintStream human = Options.STDOUT.equals(o.json()) ? System.err : System.out;
        human.printf("oracle: %d of the sequences (every violation, every first to a new state, %s%% of the rest) "
                + "replayed after the exploration through %s in %.1f s: %s%n", oracle.checked(),
                fmt(o.oracle() * 100), oracle.platforms() == 1 ? "a real platform's shell"
                        : "the shells of " + oracle.platforms() + " real platforms", (System.nanoTime() - start) / 1e9,
                differences.isEmpty() ? "no difference" : differences.size() + " DIFFER");
        for (Oracle.Difference d : differences) {
            human.println("oracle: DIFFERENCE after " + d.ops() + ": " + d.what());
        }
        return differences.isEmpty() ? 0 : 3;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    /**
     * The summary for people (stdout, or stderr when the JSON goes to stdout), each
     * violation's reproducer script, and the JSON when asked for. {@code merged} is the
     * number of shards merged, 0 for a run.
     */
    private static int conclude(ShardResult r, int merged, Options o, Path out) throws IOException {
        PrintStream human = Options.STDOUT.equals(o.json()) ? System.err : System.out;
        ShardResult.Exploration e = r.exploration();
        String invocation = "./kvmsh --host " + e.host() + e.features().stream().map(f -> " --feature " + f)
                .reduce("", String::concat) + " FILE";
        String title = "exploration of " + String.join(", ", e.features()) + " on " + e.host() + ", depth "
                + e.depth() + (merged > 0 ? ", " + merged + " shards merged" : "")
                + (r.shard().count() > 1 ? ", shard " + r.shard() : "") + ", " + r.workers() + " workers, "
                + e.modules().size() + " modules, " + e.points().size() + " injection points, "
                + (e.maxVms() > 0 ? "at most " + e.maxVms() + " open VMs" : "open VMs unbounded");
        Summary.table(r.report(), title).forEach(human::println);
        forgetOldReproducers(out);
        if (r.findings().isEmpty()) {
            human.println("no violation");
        } else {
            Files.createDirectories(out);
            human.println("violations (minimal reproducers in " + out + "):");
            int n = 0;
            for (ShardResult.Finding f : r.findings()) {
                n++;
                Path file = out.resolve("violation-" + n + ".kvmsh");
                Files.writeString(file, Summary.reproducer(f.message(), f.lines(), n,
                        invocation.replace("FILE", file.toString())));
                human.println(String.format("%3d. %s", n, f.message()));
                human.println("     " + String.join("; ", f.lines()) + "   -> " + file);
            }
        }
        if (Options.STDOUT.equals(o.json())) {
            Writer w = new OutputStreamWriter(System.out, StandardCharsets.UTF_8);
            r.write(w);
            w.flush();
        } else if (o.json() != null) {
            try (Writer w = Files.newBufferedWriter(Path.of(o.json()))) {
                r.write(w);
            }
        }
        return r.findings().isEmpty() ? 0 : 1;
    }

    /** A run's reproducers replace the last run's: a stale script would show a violation that is gone. */
    private static void forgetOldReproducers(Path out) throws IOException {
        if (!Files.isDirectory(out)) {
            return;
        }
        try (Stream<Path> s = Files.list(out)) {
            for (Path p : s.filter(p -> p.getFileName().toString().matches("violation-\\d+\\.kvmsh")).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The workers' stderr and platform logs, kept beside the reproducers: a violation that threw is explained there. */
    private static void keepLogs(Path work, Path out, int workers) throws IOException {
        Files.createDirectories(out);
        for (int w = 0; w < workers; w++) {
            Path err = work.resolve("worker-" + w + ".log");
            Path log = work.resolve("worker-" + w + "/log/kvmsh.log");
            if (Files.exists(err)) {
                Files.copy(err, out.resolve("worker-" + w + ".stderr.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            if (Files.exists(log)) {
                Files.copy(log, out.resolve("worker-" + w + ".platform.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Boots the workers side by side: with {@code --shell} one JVM each (see {@link WorkerMain}
     * for why not one JVM); else one platform each in this JVM, driven by direct calls (no
     * shell session swaps System.out then), and as many worker JVMs for the oracle's shells,
     * which replay its samples side by side once the exploration is over. Each boot takes a
     * second or two.
     */
    private static void bootAll(Path home, List<String> features, Options o, Path work, List<ProcessShell> shells,
            List<FelixShell> platforms, List<Platform> models) throws Exception {
        int processes = o.workers();
        int inProcess = o.shell() ? 0 : o.workers();
        boolean model = o.engine().equals("model");
        Platform[] modelled = new Platform[inProcess];
        ProcessShell[] booted = new ProcessShell[processes];
        FelixShell[] local = new FelixShell[inProcess];
        Exception[] failed = new Exception[1];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < processes + inProcess; i++) {
            int w = i;
            Thread t = new Thread(() -> {
                try {
                    Path dir = work.resolve("worker-" + w);
                    if (w < inProcess && model) {
                        modelled[w] = bootModel(home, features, o.host(), dir);
                    } else if (w < inProcess) {
                        local[w] = FelixShell.boot(home, features, o.host(), dir);
                    } else {
                        booted[w - inProcess] = ProcessShell.start(home, features, o.host(), dir,
                                work.resolve("worker-" + w + ".log"));
                    }
                } catch (Exception e) {
                    synchronized (failed) {
                        failed[0] = e;
                    }
                }
            }, "explorer-boot-" + i);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        for (ProcessShell s : booted) {
            if (s != null) {
                shells.add(s);
            }
        }
        for (FelixShell s : local) {
            if (s != null) {
                platforms.add(s);
            }
        }
        for (Platform p : modelled) {
            if (p != null) {
                models.add(p);
            }
        }
        if (failed[0] != null) {
            throw failed[0];
        }
    }

    /**
     * A model kernel of the features in a root of its own below {@code dir}: the platform's
     * bundles as plain jars ({@link ModelClasses}), the kernel built without a framework.
     */
    static Platform bootModel(Path home, List<String> features, String host, Path dir) throws IOException {
        Path root = dir.resolve("root");
        List<Path> bundles = RootFs.create(home, features, root, RootFs.DEFAULT_RELEASE);
        if (Files.exists(root.resolve("boot/vmlinux-" + RootFs.DEFAULT_RELEASE + "/modules.builtin"))) {
            throw new IllegalArgumentException("the model kernel runs no initcalls: explore features with built-in "
                    + "modules with --engine direct");
        }
        return new ModelClasses(bundles).boot(root, host, RootFs.DEFAULT_RELEASE);
    }

    /** The module files laid out for the features (names as the kernel writes them), or the chosen ones. */
    static List<String> modules(Path root, List<String> chosen) throws IOException {
        TreeSet<String> found = new TreeSet<>();
        try (Stream<Path> s = Files.walk(root.resolve("lib/modules"))) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ko"))
                    .forEach(n -> found.add(n.substring(0, n.length() - 3).replace('-', '_')));
        }
        if (chosen.isEmpty()) {
            return new ArrayList<>(found);
        }
        for (String m : chosen) {
            if (!found.contains(m)) {
                throw new IllegalArgumentException("no module " + m + " in the features (they have: "
                        + String.join(" ", found) + ")");
            }
        }
        return chosen;
    }

    /** The injection points to arm: the loader's and those of the explored modules, as `failfn list` names them. */
    static List<String> points(Shell shell, List<String> modules, String which) {
        List<String> out = new ArrayList<>();
        if (which.equals("none")) {
            return out;
        }
        Shell.Result r = shell.run("failfn list");
        for (String line : r.out().split("\n")) {
            String p = line.trim().split("\\s+")[0];
            int colon = p.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String owner = p.substring(0, colon);
            boolean loader = owner.equals("loader");
            if ((loader && (which.equals("all") || which.equals("loader")))
                    || (!loader && modules.contains(owner) && (which.equals("all") || which.equals("modules")))) {
                out.add(p);
            }
        }
        return out;
    }
}
