package org.kvmosgi.itests.kvmppc;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * What each layout loads for an HV-only, a PR-only and an HV+PR user on POWER8 (where both
 * work), measured with lsmod's sizes: the table docs/kvm-ppc.md shows. It is printed on the
 * test's stdout.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LayoutCostTest extends PpcTestBase {
    /** Where the configuration lays the unified builds out (the probe runs in another class loader). */
    private static final String UNIFIED = "/opt/kvm-unified/kvm.ko", UNIFIED_HV = "/opt/kvm-unified-hv/kvm.ko",
            UNIFIED_PR = "/opt/kvm-unified-pr/kvm.ko";

    @Configuration
    public Option[] config() {
        Option o = ppc("power8", "kvm-ppc");
        extraModule("kvm-unified", "kvm-unified");
        extraModule("kvm-unified-hv", "kvm-unified-hv");
        extraModule("kvm-unified-pr", "kvm-unified-pr");
        return options(o);
    }

    private long size(String module) throws Exception {
        return kernel.module(module).size();
    }

    /** Loads with the commands, sums lsmod's sizes, unloads. */
    private long load(List<String> commands, List<String> modules) throws Exception {
        for (String c : commands) {
            assertEquals(c, "", sh.run(c).outOrFailure());
        }
        long total = 0;
        for (String m : modules) {
            total += size(m);
        }
        for (int i = modules.size() - 1; i >= 0; i--) {
            assertEquals("", sh.run("rmmod " + modules.get(i)).outOrFailure());
        }
        return total;
    }

    @Test
    public void sizesSideBySide() throws Exception {
        Map<String, long[]> rows = new LinkedHashMap<>();
        long splitHv = load(List.of("modprobe kvm_hv"), List.of("kvm", "kvm_hv"));
        long splitPr = load(List.of("modprobe kvm_pr"), List.of("kvm", "kvm_pr"));
        long splitBoth = load(List.of("modprobe kvm_hv", "modprobe kvm_pr"), List.of("kvm", "kvm_hv", "kvm_pr"));
        long uni = load(List.of("insmod " + UNIFIED), List.of("kvm"));
        long uniHv = load(List.of("insmod " + UNIFIED_HV), List.of("kvm"));
        long uniPr = load(List.of("insmod " + UNIFIED_PR), List.of("kvm"));
        rows.put("HV only", new long[] {splitHv, uni, uniHv});
        rows.put("PR only", new long[] {splitPr, uni, uniPr});
        rows.put("HV and PR", new long[] {splitBoth, uni, uni});
        StringBuilder t = new StringBuilder();
        t.append(String.format("%-10s %12s %22s %26s%n", "user", "split", "unified (HV+PR build)",
                "unified (single build)"));
        for (Map.Entry<String, long[]> r : rows.entrySet()) {
            long[] v = r.getValue();
            t.append(String.format("%-10s %12d %22s %26d%n", r.getKey(), v[0],
                    v[1] + String.format(" (%+d)", v[1] - v[0]), v[2]));
        }
        System.out.println("kvm-ppc layout cost on power8 (bytes, lsmod's Size summed):\n" + t);
        assertTrue("the HV+PR build carries PR's code for an HV-only user", uni > uniHv);
        assertTrue("and HV's for a PR-only user", uni > uniPr);
    }
}
