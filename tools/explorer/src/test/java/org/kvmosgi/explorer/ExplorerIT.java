package org.kvmosgi.explorer;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.Test;

/**
 * The explorer on the real platform (the distribution, two worker JVMs): on diag-fixtures
 * it finds each planted mistake of mod_hvbuggy with a two-step reproducer, and nothing in
 * the careful mod_hvlike; on kvm-x86 the VMM's operations, raw framework stops and starts
 * and forced unloads reach a VM whose vendor was freed, run on it, and agree with the shell.
 */
public class ExplorerIT {
    private static List<String> reproducers(Path out) throws Exception {
        try (Stream<Path> s = Files.list(out)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".kvmsh")).sorted().map(p -> {
                try {
                    return Files.readString(p);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    private static final String[] BUGGY = {"--feature", "diag-fixtures", "--modules", "mod_opscore,mod_hvbuggy",
        "--points", "modules", "--depth", "2", "--time", "300"};

    /** The unsharded run on mod_hvbuggy (its reproducers and its --json), run once for both tests. */
    private static Path unsharded;

    private static synchronized Path unsharded() throws Exception {
        if (unsharded == null) {
            Path out = Files.createTempDirectory(Path.of("target"), "explore-buggy");
            assertEquals(1, Main.run(args(BUGGY, "--out", out.toString(), "--json", out.resolve("run.json").toString())));
            unsharded = out;
        }
        return unsharded;
    }

    /** Each violation's signature with its minimal reproducer's length. */
    private static java.util.Map<String, Integer> lengths(ShardResult r) {
        java.util.Map<String, Integer> out = new java.util.TreeMap<>();
        r.findings().forEach(f -> out.put(f.signature(), f.lines().size()));
        return out;
    }

    private static String[] args(String[] base, String... more) {
        List<String> all = new java.util.ArrayList<>(List.of(base));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    public void findsEachPlantedMistakeAndNothingInTheCarefulModule() throws Exception {
        Path out = unsharded();
        List<String> scripts = reproducers(out);
        assertEquals(scripts.toString(), 3, scripts.size());
        String all = String.join("\n", scripts);
        assertTrue(all, all.contains("violation 1: ops: opscore_ops dispatches to mod_hvbuggy, which is not loaded\n"));
        assertTrue(all, all.contains("failfn inject mod_hvbuggy:alloc_tables\nmodprobe mod_hvbuggy\ninvariants\n"));
        assertTrue(all, all.contains("failfn: mod_hvbuggy:radix_init failed (injected), yet `modprobe mod_hvbuggy` "
                + "succeeded: the error was ignored"));
        assertTrue(all, all.contains("kmemleak: 1 suspected leaks\n# run: ./kvmsh --host intel --feature "
                + "diag-fixtures"));

        Path clean = Files.createTempDirectory(Path.of("target"), "explore-careful");
        assertEquals(0, Main.run(new String[] {"--feature", "diag-fixtures", "--modules", "mod_opscore,mod_hvlike",
                "--points", "modules", "--depth", "2", "--time", "300", "--out", clean.toString()}));
        assertEquals(List.of(), reproducers(clean));
        // the platform's engine, driven in this JVM, finds nothing there either
        Path direct = Files.createTempDirectory(Path.of("target"), "explore-careful-direct");
        assertEquals(0, Main.run(new String[] {"--feature", "diag-fixtures", "--modules", "mod_opscore,mod_hvlike",
                "--points", "modules", "--depth", "2", "--time", "300", "--workers", "1", "--engine", "direct",
                "--out", direct.toString()}));
    }

    /** The model kernel runs no initcalls: a feature with built-in modules is refused, not explored wrongly. */
    @Test
    public void theModelRefusesBuiltInModules() throws Exception {
        Path out = Files.createTempDirectory(Path.of("target"), "explore-builtin");
        try {
            Main.run(new String[] {"--feature", "kvm-x86-builtin", "--depth", "1", "--workers", "1", "--out",
                    out.toString()});
            throw new AssertionError("the model explored a feature with built-in modules");
        } catch (IllegalArgumentException e) {
            assertEquals("the model kernel runs no initcalls: explore features with built-in modules with --engine "
                    + "direct", e.getMessage());
        }
    }

    /**
     * Two shards (one worker each) merged report what the unsharded run reports: the same
     * distinct states at the same depths, the same violations with the same reproducers.
     */
    @Test
    public void theMergeOfTwoShardsIsTheUnshardedRun() throws Exception {
        ShardResult whole = ShardResult.read(unsharded().resolve("run.json"));
        Path dir = Files.createTempDirectory(Path.of("target"), "explore-shards");
        List<Path> jsons = new java.util.ArrayList<>();
        int violated = 0;
        for (String shard : List.of("1/2", "2/2")) {
            Path json = dir.resolve("shard-" + shard.charAt(0) + ".json");
            violated += Main.run(args(BUGGY, "--workers", "1", "--shard", shard, "--out", dir.resolve("out-"
                    + shard.charAt(0)).toString(), "--json", json.toString()));
            jsons.add(json);
        }
        assertTrue("a shard found a violation", violated >= 1);
        Path merged = dir.resolve("merged.json");
        assertEquals(1, Main.run(new String[] {"--merge", jsons.get(0).toString(), jsons.get(1).toString(), "--out",
                dir.resolve("merged").toString(), "--json", merged.toString()}));
        ShardResult m = ShardResult.read(merged);
        assertEquals(whole.report().reached(), m.report().reached());
        assertEquals(whole.report().states(), m.report().states());
        assertEquals(3, whole.findings().size());
        assertEquals(lengths(whole), lengths(m));
        assertEquals(reproducers(unsharded()).size(), reproducers(dir.resolve("merged")).size());
        assertEquals(whole.report().depthReached(), m.report().depthReached());
    }

    /**
     * kvm_intel with the VMM's operations, the pv-lock switch, forced unloads and raw
     * stops, to depth 4: {@code vm run} and {@code vm vcpu} on a VM whose kvm_intel was
     * forced out oops with -EFAULT (else a violation), the leaks and oopses of the freed
     * instance are the kernel's answer, not violations, and every first run to a new state
     * agrees with its replay through the shell (else exit status 3).
     */
    @Test
    public void theVmmsOperationsReachAFreedVendorAndAgreeWithTheShell() throws Exception {
        Path out = Files.createTempDirectory(Path.of("target"), "explore-vmm");
        Path json = out.resolve("run.json");
        assertEquals(0, Main.run(new String[] {"--feature", "kvm-x86", "--modules", "kvm_intel", "--points", "none",
                "--depth", "4", "--time", "300", "--workers", "1", "--vmm", "--pv-lock", "--forced-unloads",
                "--raw-stops", "--out", out.toString(), "--json", json.toString()}));
        java.util.Map<String, Integer> reached = ShardResult.read(json).report().reached();
        // modprobe kvm_intel; vm create --irqchip vm0; rmmod -f kvm_intel (or felix:stop kvm_intel)
        assertEquals(Integer.valueOf(3), reached.get("[kvm/0]||[]|[]|[kvm_intel]|vmm --irqchip/1/freed"));
        // ... then vm run vm0: -EFAULT, the oops checked, nothing else changes
        assertTrue(reached.toString(), reached.keySet().stream().anyMatch(k -> k.endsWith("vmm --irqchip/2/ran")));
        assertTrue(reached.toString(), reached.keySet().stream().anyMatch(k -> k.endsWith("vmm --irqchip/1/ran/freed")));
    }
}
