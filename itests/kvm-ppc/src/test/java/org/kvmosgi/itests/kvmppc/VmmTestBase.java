package org.kvmosgi.itests.kvmppc;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.After;

/**
 * What the kvmtool tests share: VMs made with {@code vm create} are destroyed before the
 * modules are unloaded (a VM pins its implementation), and {@code vm run}'s counters are
 * read back from its output, as a user reads them.
 */
public abstract class VmmTestBase extends PpcTestBase {
    private final List<String> vms = new ArrayList<>();

    /** {@code vm create ARGS NAME}, remembered for the cleanup; returns the command's output. */
    protected String create(String name, String args) throws Exception {
        String out = sh.run("vm create " + args + " " + name).outOrFailure();
        if (!out.startsWith("FAIL: ")) {
            vms.add(name);
        }
        return out;
    }

    @After
    public void destroyVms() throws Exception {
        for (String vm : vms) {
            sh.run("vm destroy " + vm);
        }
        vms.clear();
    }

    /** A counter of {@code vm run}'s output ("hypercalls 3" → 3). */
    protected static long counter(String out, String name) {
        Matcher m = Pattern.compile("\\b" + name + " (\\d+)").matcher(out);
        assertTrue("no " + name + " in:\n" + out, m.find());
        return Long.parseLong(m.group(1));
    }

    /** The total exits of {@code vm run}'s first line. */
    protected static long exits(String out) {
        Matcher m = Pattern.compile(": (\\d+) exits \\((\\d+) to user space\\)").matcher(out);
        assertTrue("no exit count in:\n" + out, m.find());
        return Long.parseLong(m.group(1));
    }

    /**
     * Runs each PowerPC workload {@code n} times on {@code vm} and checks its exits: every
     * hcall (H_PUT_TERM_CHAR) and every MMIO access returns to kvmtool, plus the power-off.
     */
    protected void runsEachWorkload(String vm, int n) throws Exception {
        String out = sh.run("vm run --workload hcall --iterations " + n + " " + vm).outOrFailure();
        assertEquals(out, n + 1, exits(out));
        assertEquals(out, n + 1, counter(out, "hypercalls"));
        assertEquals(out, n + 1, counter(out, "papr_hcalls"));
        assertEquals(out, 0, counter(out, "mmio_exits"));
        assertTrue(out, out.contains("console: " + n + " chars \"xxx"));

        out = sh.run("vm run --workload mmio_write --iterations " + n + " " + vm).outOrFailure();
        assertEquals(out, n + 1, exits(out));
        assertEquals(out, n, counter(out, "mmio_exits"));
        assertEquals(out, 1, counter(out, "hypercalls"));
        assertTrue(out, out.contains("console: 0 chars"));

        out = sh.run("vm run --workload mmio_read --iterations " + n + " " + vm).outOrFailure();
        assertEquals(out, n + 1, exits(out));
        assertEquals(out, n, counter(out, "mmio_exits"));
        assertEquals(out, 1, counter(out, "hypercalls"));
    }
}
