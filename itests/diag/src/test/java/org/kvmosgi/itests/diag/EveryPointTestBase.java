package org.kvmosgi.itests.diag;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;

/**
 * Every injection point of a feature's modules, one by one, each from a fresh kernel: a
 * point reached by the module's load makes the load fail with the injected errno, leaves
 * no leak and no violated rule, and the module loads once the point is cleared. A point
 * the load does not reach (a VM step, or a step behind a host check that fails first)
 * must leave the kernel consistent too. A point of a library module may be run by the
 * load of another (x86's kvm.ko steps run in the vendor's init): the other modules are
 * loaded in turn until the point is reached.
 */
public abstract class EveryPointTestBase extends ShellTestBase {
    /** Runs the rule for each point of {@code modules}; returns how many points a load reached. */
    int everyPoint(String... modules) throws Exception {
        List<String> points = lines(sh.run("failfn list " + String.join(" ", modules)).transcript());
        assertTrue(points.toString(), !points.isEmpty());
        int fired = 0;
        List<String> report = new ArrayList<>();
        for (String p : points) {
            List<String> order = new ArrayList<>(List.of(modules));
            String owner = p.substring(0, p.indexOf(':'));
            order.remove(owner);
            order.add(0, owner);
            sh.run("kreset");
            sh.run("failfn inject " + p + " ENOMEM");
            String module = owner;
            String load = "";
            boolean reached = false;
            for (String m : order) {
                module = m;
                load = sh.run("modprobe " + m).transcript();
                reached = sh.run("cat /sys/kernel/debug/fail_function/times").transcript().trim().equals("0");
                if (reached) {
                    break;
                }
            }
            assertEquals(p, "invariants: all hold\n", sh.run("invariants").transcript());
            assertEquals(p, "kmemleak: no suspected leaks\n", sh.run("kmemleak").transcript());
            if (!reached) {
                report.add(p + " not reached by the load");
                continue;
            }
            fired++;
            assertTrue(p + ": " + load, load.endsWith("': Cannot allocate memory"));
            assertTrue(p, String.join("\n", lines(sh.run("why " + module).transcript())).contains("-ENOMEM (Cannot allocate memory) at "
                    + p));
            sh.run("failfn clear");
            assertEquals(p, "", sh.run("modprobe " + module).transcript());
            assertEquals(p, "invariants: all hold\n", sh.run("invariants").transcript());
        }
        return fired;
    }
}
