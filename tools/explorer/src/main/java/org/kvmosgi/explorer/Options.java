package org.kvmosgi.explorer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code ./kvmsh --explore} options. A mistake is an {@link IllegalArgumentException} whose message is the line to show. */
public record Options(List<String> features, String host, int depth, int seconds, int workers, List<String> modules,
        String points, boolean reduceGone, Path out, Shard shard, String json, List<Path> merge, String engine,
        double oracle, List<OpSource.Param> params, boolean forced, boolean vmm, int vcpus, List<String> workloads,
        boolean pvLock, boolean rawStops, int vms) {
    /** {@code --json} without a file: the JSON goes to stdout and the summary to stderr. */
    public static final String STDOUT = "-";
    /** The engines: a model kernel without a framework, the real platform called directly, or its shell. */
    public static final List<String> ENGINES = List.of("model", "direct", "shell");

    /** Whether every step is a command line in a worker JVM's shell. */
    public boolean shell() {
        return engine.equals("shell");
    }


    public static final String USAGE = String.join("\n",
            "Usage: ./kvmsh --explore [--feature NAME]... [--host PROFILE] [--depth N] [--time SECONDS]",
            "                         [--workers N] [--modules a,b,...] [--points all|loader|modules|none]",
            "                         [--vms N]",
            "                         [--merge-gone] [--out DIR] [--shard I/N] [--json [FILE]]",
            "                         [--param MODULE.NAME=VALUE]... [--forced-unloads] [--vmm] [--vcpus N]",
            "                         [--workload W]... [--pv-lock] [--raw-stops] [--oracle PERCENT]",
            "                         [--engine model|direct|shell]",
            "       ./kvmsh --explore --merge FILE... [--out DIR] [--json [FILE]]",
            "",
            "Runs every sequence of up to N operations (modprobe and rmmod of each module, each fault",
            "injection point failing once, KVM_CREATE_VM and closing the VM when /dev/kvm is there), each",
            "from a fresh kernel, and checks the invariants after every step. Equivalent states are",
            "explored once. Prints a summary and writes each violation's minimal reproducer as a",
            "./kvmsh script (run it with the same --host and --feature).",
            "",
            "  --feature NAME   the module set (repeatable; default: diag-fixtures)",
            "  --host PROFILE   the simulated host (default: intel)",
            "  --depth N        longest sequence (default: 3)",
            "  --time SECONDS   no new sequence after this long (default: 60)",
            "  --workers N      platforms run side by side (default: the number of cores)",
            "  --modules LIST   only these modules (default: every module of the features)",
            "  --points WHICH   injection points to arm (default: all)",
            "  --vms N          the most VMs vmfd create keeps open at once (default: " + OpSource.DEFAULT_MAX_VMS + "; each VM",
            "                   raises the vendor's refcount, so unbounded it makes a new state every level)",
            "  --merge-gone     treat states that differ only in the modules that went as equal",
            "                   (smaller, but may cut a path through a failed init's leftovers)",
            "  --out DIR        where the reproducers go (default: explore/ in kvmsh's state directory, .kvmsh)",
            "  --shard I/N      explore only shard I of N: the sequences whose first operation's index",
            "                   is I-1 modulo N (N processes with the same options cover the whole run)",
            "  --json [FILE]    also write figures, states, violations and reproducers as JSON to FILE",
            "                   (no FILE or -: to stdout, and the summary to stderr)",
            "  --param M.P=V    also load M with P=V (modprobe M P=V) and, while M is loaded, write V",
            "                   to its parameter (echo V | tee /sys/module/M/parameters/P); repeatable,",
            "                   for valid and invalid values alike (kvm.dispatch=ops, kvm.halt_poll_ns=x)",
            "  --forced-unloads also rmmod -f each loaded module",
            "  --vmm            also the VMM's operations on one VM, vm0, while /dev/kvm is there:",
            "                   vm create (x86: --irqchip; PowerPC: --type hv and --type pr), vm vcpu vm0",
            "                   up to --vcpus, vm run --iterations " + Op.RUN_ITERATIONS + " vm0 of each --workload, vm destroy vm0",
            "  --vcpus N        the most vCPUs vm vcpu makes vm0 have (default: 2)",
            "  --workload W     a workload vm run runs (repeatable; default: the architecture's, cpuid",
            "                   on x86, hcall on PowerPC)",
            "  --pv-lock        also vm lock --switches " + Op.LOCK_SWITCHES + " --seed 1 vm0 on an x86 vm0 of two vCPUs or more:",
            "                   the pv-lock guest switches its lock ops group by stop_machine (implies --vmm)",
            "  --raw-stops      also felix:stop ID of each loaded module's bundle and felix:start ID of",
            "                   each module tried that went (the framework's own stop and start; the",
            "                   model engine runs what a module bundle's stop and start run in the kernel)",
            "  --oracle PERCENT replay this share of the sequences (besides every violation and every",
            "                   sequence reaching a new state) through the shells of real platforms",
            "                   (one per worker, after the exploration), and fail on any difference",
            "                   (default: 2; 0: only violations and new states)",
            "  --engine WHICH   how a step runs (default: model): model, a kernel without a framework",
            "                   (the same loader and module classes, one per worker thread); direct,",
            "                   the real platform (Felix, bundles) in this JVM, its tools called",
            "                   directly; shell, every step a command line in a worker JVM's shell",
            "  --shell          the same as --engine shell",
            "  --merge FILE...  merge the --json results of the N shards of one exploration and print",
            "                   the summary an unsharded run prints (no platform is booted)");

    /** The reproducers' directory: --out, else explore/ below kvmsh's state directory. */
    public Path outOr(Path state) {
        return out != null ? out : state.resolve("explore");
    }

    public static Options parse(String... args) {
        List<String> features = new ArrayList<>();
        String host = "intel";
        int depth = 3;
        int seconds = 60;
        int workers = Runtime.getRuntime().availableProcessors();
        List<String> modules = new ArrayList<>();
        String points = "all";
        boolean mergeGone = false;
        Path out = null;
        Shard shard = Shard.ALL;
        String json = null;
        List<Path> merge = new ArrayList<>();
        String engine = "model";
        List<OpSource.Param> params = new ArrayList<>();
        boolean forced = false;
        boolean vmm = false;
        int vcpus = 2;
        int vms = OpSource.DEFAULT_MAX_VMS;
        List<String> workloads = new ArrayList<>();
        boolean pvLock = false;
        boolean rawStops = false;
        double oracle = 0.02;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--feature" -> features.add(value(args, ++i, a));
                case "--host" -> host = value(args, ++i, a);
                case "--depth" -> depth = positive(value(args, ++i, a), a);
                case "--time" -> seconds = positive(value(args, ++i, a), a);
                case "--workers" -> workers = positive(value(args, ++i, a), a);
                case "--modules" -> {
                    for (String m : value(args, ++i, a).split(",")) {
                        if (!m.isBlank()) {
                            modules.add(m.trim().replace('-', '_'));
                        }
                    }
                }
                case "--points" -> {
                    points = value(args, ++i, a);
                    if (!List.of("all", "loader", "modules", "none").contains(points)) {
                        throw new IllegalArgumentException("--points takes all, loader, modules or none, not '"
                                + points + "'");
                    }
                }
                case "--merge-gone" -> mergeGone = true;
                case "--out" -> out = Path.of(value(args, ++i, a));
                case "--shard" -> shard = Shard.parse(value(args, ++i, a));
                case "--json" -> json = i + 1 < args.length && !args[i + 1].startsWith("--") ? args[++i] : STDOUT;
                case "--merge" -> {
                    while (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                        merge.add(Path.of(args[++i]));
                    }
                    if (merge.isEmpty()) {
                        throw new IllegalArgumentException("option --merge needs the shards' JSON files");
                    }
                }
                case "--shell" -> {
                    engine = "shell";
                }
                case "--engine" -> {
                    engine = value(args, ++i, a);
                    if (!ENGINES.contains(engine)) {
                        throw new IllegalArgumentException("--engine takes model, direct or shell, not '" + engine + "'");
                    }
                }
                case "--forced-unloads" -> forced = true;
                case "--vmm" -> vmm = true;
                case "--vcpus" -> vcpus = positive(value(args, ++i, a), a);
                case "--vms" -> vms = positive(value(args, ++i, a), a);
                case "--workload" -> {
                    String w = value(args, ++i, a);
                    if (!w.matches("[a-z0-9_]+")) {
                        throw new IllegalArgumentException("option --workload takes a workload's name, not '" + w + "'");
                    }
                    workloads.add(w);
                }
                case "--pv-lock" -> pvLock = true;
                case "--raw-stops" -> rawStops = true;
                case "--param" -> {
                    String v = value(args, ++i, a);
                    OpSource.Param p = OpSource.Param.parse(v);
                    if (p == null) {
                        throw new IllegalArgumentException("option --param takes MODULE.NAME=VALUE, not '" + v + "'");
                    }
                    params.add(p);
                }
                case "--oracle" -> oracle = percent(value(args, ++i, a), a);
                case "-h", "--help" -> throw new IllegalArgumentException(USAGE);
                default -> throw new IllegalArgumentException("unknown option '" + a
                        + "' (./kvmsh --explore --help lists the options)");
            }
        }
        if (features.isEmpty()) {
            features.add("diag-fixtures");
        }
        return new Options(List.copyOf(features), host, depth, seconds, workers, List.copyOf(modules), points, !mergeGone,
                out, shard, json, List.copyOf(merge), engine, oracle, List.copyOf(params), forced,
                vmm || pvLock || !workloads.isEmpty(), vcpus, workloads.isEmpty() ? List.of("") : List.copyOf(workloads),
                pvLock, rawStops, vms);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException("option " + option + " needs a value");
        }
        return args[i];
    }

    private static double percent(String v, String option) {
        try {
            double p = Double.parseDouble(v);
            if (p >= 0 && p <= 100) {
                return p / 100;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("option " + option + " needs a percentage from 0 to 100, not '" + v + "'");
    }

    private static int positive(String v, String option) {
        try {
            int n = Integer.parseInt(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("option " + option + " needs a positive number, not '" + v + "'");
    }
}
