package org.kvmosgi.itests.kvm;

import static org.junit.Assert.*;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.felix.feature.impl.FeatureServiceImpl;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.kvmosgi.kvm.api.KvmStat;
import org.kvmosgi.kvmtool.guest.Workload;
import org.kvmosgi.kvmtool.vmm.Vm;
import org.kvmosgi.testsupport.KvmOsgi;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.feature.ID;

/**
 * The x86 layouts side by side on x86-lab (where both vendors pass their CPU check), from
 * the distribution's own builds: what the modules for one vendor weigh (lsmod), how many
 * classes they carry, how long they take to load, what they export, what both vendor
 * modules export (duplicates), the indirect calls per exit of kvm-unit-tests' vmexit
 * workloads (counted by the model), and what loading the second vendor does. The table
 * docs/kvm-x86.md shows; printed on the test's stdout.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LayoutCostTest extends KvmTestBase {
    static final Workload[] VMEXIT = {Workload.CPUID, Workload.VMCALL, Workload.MOV_TO_CR8, Workload.INL_FROM_PMTIMER,
        Workload.INL_FROM_QEMU, Workload.INL_FROM_KERNEL, Workload.OUTL_TO_KERNEL, Workload.RD_TSC_ADJUST_MSR,
        Workload.WR_TSC_ADJUST_MSR};
    static final int N = 1000;

    @Configuration
    public Option[] config() {
        Option o = kvmX86("x86-lab", "kvm-x86", "");
        for (String c : List.of("kvm-intel-monolithic", "kvm-amd-monolithic", "kvm-library", "kvm-intel-library",
                "kvm-amd-library")) {
            extraModule(c);
        }
        return options(o);
    }

    /** Copies the distribution's build with this classifier to /opt/kvm-x86-LAYOUT/NAME.ko. */
    static void extraModule(String classifier) {
        String version = KvmOsgi.distribution().feature("kvm-x86").getID().getVersion();
        ID id = new FeatureServiceImpl().getIDfromMavenCoordinates("org.kvmosgi:kvm-x86:jar:" + classifier + ":" + version);
        int dash = classifier.lastIndexOf('-');
        Path target = KvmOsgi.root().root().resolve("opt/kvm-x86-" + classifier.substring(dash + 1))
                .resolve(classifier.substring(0, dash) + ".ko");
        try {
            Files.createDirectories(target.getParent());
            Files.copy(KvmOsgi.distribution().artifact(id), target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One layout: the files to insmod for kvm_intel (in order), and for kvm_amd on top of what intel needs. */
    record Layout(String name, List<String> intel, String amd, String dispatch) {}

    private String ko(String file) throws Exception {
        return file.startsWith("/") ? file : "/lib/modules/" + sys.kernelRelease() + "/kernel/arch/x86/kvm/" + file;
    }

    private List<Layout> layouts() {
        List<Layout> l = new ArrayList<>();
        for (String style : List.of("ops", "static_call")) {
            l.add(new Layout("split, " + style, List.of("kvm.ko dispatch=" + style, "kvm-intel.ko"), "kvm-amd.ko", style));
        }
        l.add(new Layout("monolithic", List.of("/opt/kvm-x86-monolithic/kvm-intel.ko"), "/opt/kvm-x86-monolithic/kvm-amd.ko",
                "direct"));
        l.add(new Layout("library", List.of("/opt/kvm-x86-library/kvm.ko", "/opt/kvm-x86-library/kvm-intel.ko"),
                "/opt/kvm-x86-library/kvm-amd.ko", "direct"));
        return l;
    }

    private List<String> loaded() throws Exception {
        List<String> m = new ArrayList<>();
        for (String line : sys.read("/proc/modules").split("\n")) {
            if (!line.isBlank()) {
                m.add(line.split(" ")[0]);
            }
        }
        return m;
    }

    private void insmod(String file) throws Exception {
        String[] f = file.split(" ", 2);
        assertEquals(file, "", sh.run("insmod " + ko(f[0]) + (f.length > 1 ? " " + f[1] : "")).outOrFailure());
    }

    private void unloadAll() throws Exception {
        for (String m : List.of("kvm_intel", "kvm_amd", "kvm")) {
            if (kernel.module(m) != null) {
                assertEquals("", sh.run("rmmod " + m).outOrFailure());
            }
        }
    }

    private Set<String> exportedBy(String module) throws Exception {
        Set<String> s = new TreeSet<>();
        ServiceReference<?>[] refs = context.getAllServiceReferences(null, "(kernel.symbol.owner=" + module + ")");
        for (ServiceReference<?> r : refs == null ? new ServiceReference<?>[0] : refs) {
            s.add((String) r.getProperty("kernel.symbol"));
        }
        return s;
    }

    private int classes(String module) {
        for (Bundle b : context.getBundles()) {
            if (module.equals(b.getSymbolicName()) && b.getState() == Bundle.ACTIVE) {
                var e = b.findEntries("/", "*.class", true);
                return e == null ? 0 : Collections.list(e).size();
            }
        }
        return -1;
    }

    @Test
    public void costsSideBySide() throws Exception {
        StringBuilder t = new StringBuilder();
        t.append(String.format("%-20s %-24s %8s %8s %8s %8s %10s  %s%n", "layout", "lsmod (kvm_intel's set)", "total",
                "classes", "load ms", "exports", "duplicates", "kvm_amd after kvm_intel on x86-lab"));
        Map<String, double[]> perExit = new LinkedHashMap<>();
        Map<String, long[]> totals = new LinkedHashMap<>();
        for (Layout layout : layouts()) {
            // warm once (class loading of the tools), then measure the loads for one vendor
            for (String f : layout.intel()) {
                insmod(f);
            }
            unloadAll();
            long t0 = System.nanoTime();
            for (String f : layout.intel()) {
                insmod(f);
            }
            long loadNs = System.nanoTime() - t0;
            List<String> mods = loaded();
            StringBuilder sizes = new StringBuilder();
            long total = 0;
            int classes = 0;
            Set<String> intelExports = new TreeSet<>();
            for (String m : mods) {
                long size = kernel.module(m).size();
                total += size;
                classes += classes(m);
                intelExports.addAll(exportedBy(m));
                sizes.append(sizes.length() == 0 ? "" : " + ").append(m).append(' ').append(size / 1024).append('K');
            }
            double[] row = new double[VMEXIT.length];
            for (int i = 0; i < VMEXIT.length; i++) {
                Workload w = VMEXIT[i];
                try (Vm vm = Vm.create(sys, "cost", 1, Vm.DEFAULT_MEM, w.needsIrqchip())) {
                    vm.run(w, N, 0);
                    long[] s = vm.run(w, N, 0).stats;
                    row[i] = (double) s[KvmStat.INDIRECT_CALLS] / s[KvmStat.EXITS];
                }
            }
            perExit.put(layout.name(), row);
            // what the second vendor does with kvm_intel loaded
            sys.syslog(true);
            String second = sh.run("insmod " + ko(layout.amd())).outOrFailure();
            List<String> why = kernel.dmesg();
            String lab = second.isEmpty() ? "loads" : second.replaceAll(".*: ", "") + ": " + (why.isEmpty() ? "" : why.get(0));
            // the vendor-only exports: what kvm_amd's build exports, from a load of it alone
            unloadAll();
            for (String f : layout.intel()) {
                if (!f.contains("intel")) {
                    insmod(f);
                }
            }
            insmod(layout.amd());
            Set<String> amdExports = exportedBy("kvm_amd");
            Set<String> dup = new TreeSet<>(intelExports);
            dup.retainAll(amdExports);
            unloadAll();
            totals.put(layout.name(), new long[] {total, dup.size()});
            t.append(String.format("%-20s %-24s %8d %8d %8.1f %8d %10d  %s%n", layout.name(), sizes, total, classes,
                    loadNs / 1e6, intelExports.size(), dup.size(), lab));
        }
        t.append(String.format("%nindirect calls per exit, kvm_intel, counted (kvm-unit-tests vmexit workloads, %d iterations):%n", N));
        t.append(String.format("%-20s", "layout"));
        for (Workload w : VMEXIT) {
            t.append(String.format(" %17s", w.id()));
        }
        t.append('\n');
        for (Map.Entry<String, double[]> r : perExit.entrySet()) {
            t.append(String.format("%-20s", r.getKey()));
            for (double d : r.getValue()) {
                t.append(String.format(" %17.2f", d));
            }
            t.append('\n');
        }
        System.out.println("kvm-x86 layout costs on x86-lab:\n" + t);

        assertEquals("split has no duplicate exports", 0, totals.get("split, ops")[1]);
        assertTrue("monolithic duplicates every export", totals.get("monolithic")[1] > totals.get("library")[1]);
        assertTrue("library duplicates x86.c's exports", totals.get("library")[1] > 0);
        for (double d : perExit.get("split, ops")) {
            assertTrue("the ops table costs indirect calls on every exit", d >= 2);
        }
        for (String zero : List.of("split, static_call", "monolithic", "library")) {
            for (double d : perExit.get(zero)) {
                assertEquals(zero, 0.0, d, 0.0);
            }
        }
    }
}
