package org.kvmosgi.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kvmosgi.launcher.RootFs;

/**
 * {@code ./kvmsh --bench [load] [concurrent] [boot]}: the kernel's speed targets, each
 * printed with the baseline measured in the same run and the ratio. Exit status 0 when
 * every target is met, 1 when one is not (or a round was wrong), 2 for a usage mistake.
 */
public final class Main {
    static final String USAGE = "Usage: ./kvmsh --bench [load] [concurrent] [boot] [--rounds N]\n"
            + "  load        warm modprobe kvm_intel / modprobe -r against a raw start/stop of the same bundles:\n"
            + "              kmod's tool in-process (the loader), and typed into Gogo beside felix:start/stop -t\n"
            + "  concurrent  58 threads x 150 rounds of modprobe of one module, every round checked\n"
            + "  boot        ./kvmsh -c lsmod against a bare Felix with SCR, ConfigAdmin and Gogo\n"
            + "  (none: all three)  --rounds N: load rounds (default 500)";

    private Main() {}

    public static void main(String[] args) {
        int status;
        try {
            status = run(args);
        } catch (IllegalArgumentException e) {
            System.err.println("kvmsh: bench: " + e.getMessage());
            status = 2;
        } catch (Exception e) {
            System.err.println("kvmsh: bench: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            status = 1;
        }
        System.out.flush();
        System.exit(status);
    }

    /** The first three fields of /proc/loadavg, or "unknown". */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static int run(String[] args) throws Exception {
        List<String> what = new ArrayList<>();
        int rounds = 500;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
            case "load", "concurrent", "boot" -> what.add(args[i]);
            case "--rounds" -> rounds = Integer.parseInt(args[++i]);
            case "-h", "--help" -> {
                System.out.println(USAGE);
                return 0;
            }
            default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'\n" + USAGE);
            }
        }
        if (what.isEmpty()) {
            what = List.of("load", "concurrent", "boot");
        }
        Path home = Path.of(System.getProperty("kvmosgi.home")).toAbsolutePath();
        Path state = Path.of(System.getProperty("kvmosgi.state", ".kvmsh")).toAbsolutePath();
        Files.createDirectories(state);
        System.setProperty("kvmosgi.state", state.toString());
        System.setProperty("org.jline.terminal.dumb", "true");
        Path work = Files.createTempDirectory(state, "bench-");
        // one table per section, each row against a baseline of the same run
        Map<String, List<Figures>> sections = new LinkedHashMap<>();
        // the machine may be shared: the load it had frames every figure below
        String loadBefore = loadAverage();
        try {
            if (what.contains("load")) {
                List<Figures> load = LoadBench.run(home, work.resolve("load"), rounds / 2, rounds);
                sections.put("The loader: kmod's modprobe -> finit_module/delete_module -> loader -> bundle start/stop,"
                        + " in-process, no shell", load.subList(0, 2));
                sections.put("The same typed into a Gogo session, beside the raw calls typed into it", load.subList(2,
                        load.size()));
            }
            if (what.contains("concurrent")) {
                sections.put("Concurrent loads (kmod's testsuite, scenario 0008)",
                        List.of(ConcurrentLoads.run(home, work.resolve("concurrent"), 58, 150)));
            }
            if (what.contains("boot")) {
                sections.put("Start-up", BootBench.run(home, Path.of(System.getProperty("kvmosgi.kvmsh", "./kvmsh")),
                        work.resolve("boot"), 10));
            }
        } finally {
            RootFs.deleteContents(work);
            Files.deleteIfExists(work);
        }
        String gap = "";
        for (Map.Entry<String, List<Figures>> section : sections.entrySet()) {
            System.out.println(gap + section.getKey());
            Figures.print(section.getValue(), System.out);
            gap = "\n";
        }
        System.out.println("load average (1, 5, 15 min): " + loadBefore + " at the start, " + loadAverage()
                + " at the end, on " + Runtime.getRuntime().availableProcessors() + " CPUs");
        return sections.values().stream().flatMap(List::stream).allMatch(Figures::met) ? 0 : 1;
    }
}
