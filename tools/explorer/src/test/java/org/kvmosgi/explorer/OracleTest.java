package org.kvmosgi.explorer;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.TreeSet;
import org.junit.Test;

/** The oracle's comparison: what a direct run and its shell replay must agree on, and what may differ. */
public class OracleTest {
    private static final List<Op> OPS = List.of(Op.arm("m:init"), Op.load("m"));

    private static SequenceRunner.Outcome outcome(List<Integer> statuses, List<String> violations, String loaded) {
        return new SequenceRunner.Outcome(List.of("failfn inject m:init", "modprobe m"), violations,
                new State(new TreeSet<>(loaded.isEmpty() ? List.of() : List.of(loaded)), "", List.of(), new TreeSet<>(),
                        new TreeSet<>(List.of("m"))), statuses, "");
    }

    private static final String DMESG = "[    0.004211] calling  m_init+0x0/0x1000 [m] @ 17\n"
            + "[    0.004300] initcall m_init+0x0/0x1000 [m] returned -22 after 89 usecs\n"
            + "[    0.004310] m: module at 0xffffffffc0001000";

    @Test
    public void agreesWhenOnlyTimesAddressesPidsAndTheThrowSiteDiffer() {
        String other = "[    1.900000] calling  m_init+0x0/0x1000 [m] @ 42\n"
                + "[    1.900100] initcall m_init+0x0/0x1000 [m] returned -22 after 7 usecs\n"
                + "[    1.900110] m: module at 0xffffffffc0004000";
        SequenceRunner.Outcome direct = outcome(List.of(0, 1), List.of("threw: `modprobe m`: gogo: X: y"), "");
        SequenceRunner.Outcome shell = outcome(List.of(0, 1), List.of("threw: `modprobe m`: gogo: X: y at a.B.c:3"), "");
        assertNull(Oracle.compare(direct, DMESG, new Oracle.Replay(shell, other + "\n")));
    }

    @Test
    public void anOopsAddressAndABundleIdAreWhereThePlatformPutTheModule() {
        State none = new State(new TreeSet<>(), "", List.of(), new TreeSet<>(), new TreeSet<>());
        String oops = "dmesg: BUG: unable to handle page fault for address: ";
        SequenceRunner.Outcome direct = new SequenceRunner.Outcome(List.of("felix:start 23"),
                List.of(oops + "ffffffffc3465000"), none, List.of(0), "");
        SequenceRunner.Outcome shell = new SequenceRunner.Outcome(List.of("felix:start 20"),
                List.of(oops + "ffffffffc191c000"), none, List.of(0), "");
        assertNull(Oracle.compare(direct, "[ 1.0] CPU: 0 PID: 51 Comm: kvmsh\n[ 1.0] CR2: ffffffffc3465000",
                new Oracle.Replay(shell, "[ 2.0] CPU: 0 PID: 29 Comm: kvmsh\n[ 2.0] CR2: ffffffffc191c000")));
        String warn = "[ 3.0] kvm: KVM: KVM_SET_CPUID{,2} after KVM_RUN may cause guest instability\n";
        assertNull(Oracle.compare(direct, "[ 1.0] CPU: 0 PID: 51 Comm: kvmsh\n[ 1.0] CR2: ffffffffc3465000",
                new Oracle.Replay(shell, "[ 2.0] CPU: 0 PID: 29 Comm: kvmsh\n" + warn + warn + "[ 2.0] CR2: ffffffffc191c000")));
        // a bundle the shell did not find is a difference
        SequenceRunner.Outcome lost = new SequenceRunner.Outcome(List.of("felix:start ID"),
                List.of(oops + "ffffffffc191c000"), none, List.of(0), "");
        assertTrue(Oracle.compare(direct, "", new Oracle.Replay(lost, "")).startsWith("lines"));
    }

    @Test
    public void aDifferentStatusViolationStateOrLogIsADifference() {
        SequenceRunner.Outcome direct = outcome(List.of(0, 1), List.of(), "");
        assertTrue(Oracle.compare(direct, DMESG, new Oracle.Replay(outcome(List.of(0, 0), List.of(), ""), DMESG))
                .startsWith("exit statuses"));
        assertTrue(Oracle.compare(direct, DMESG, new Oracle.Replay(outcome(List.of(0, 1), List.of("kmemleak: 1"), ""),
                DMESG)).startsWith("violations"));
        assertTrue(Oracle.compare(direct, DMESG, new Oracle.Replay(outcome(List.of(0, 1), List.of(), "m/0"), DMESG))
                .startsWith("state"));
        assertTrue(Oracle.compare(direct, DMESG, new Oracle.Replay(outcome(List.of(0, 1), List.of(), ""),
                DMESG.replace("-22", "-12"))).startsWith("dmesg"));
    }

    @Test
    public void samplesEveryViolationAndNewStateAndReportsEachDifference() throws Exception {
        List<Op> seen = new java.util.ArrayList<>();
        Oracle oracle = new Oracle(ops -> {
            synchronized (seen) {
                seen.addAll(ops);
            }
            return new Oracle.Replay(outcome(List.of(0, 0), List.of(), ""), DMESG);
        }, 0, 1);
        assertTrue(oracle.offer(OPS, outcome(List.of(0, 1), List.of(), ""), DMESG, true));
        assertTrue(oracle.offer(OPS, outcome(List.of(0, 0), List.of("kmemleak: 1"), ""), DMESG, false));
        assertEquals(false, oracle.offer(OPS, outcome(List.of(0, 0), List.of(), ""), DMESG, false));
        List<Oracle.Difference> d = oracle.finish();
        assertEquals(2, oracle.checked());
        assertEquals(2, d.size());
        assertTrue(d.get(0).what(), d.get(0).what().startsWith("exit statuses: direct [0, 1], shell [0, 0]"));
        assertTrue(d.get(1).what(), d.get(1).what().startsWith("violations"));
    }
}
