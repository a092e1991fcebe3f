package org.kvmosgi.itests.diag;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.util.ArrayList;
import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.kvmosgi.testsupport.KvmOsgi;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The diagnostics as users type them, on the diag-fixtures feature: every injection point
 * of the careful plug-in fails its load with the injected errno and leaves nothing, the
 * platform stays usable and the module loads afterwards; the planted mistakes of the
 * careless one each show; why answers root cause first; mistakes get one line, no trace.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DiagCommandsTest extends ShellTestBase {
    @Configuration
    public Option[] config() {
        return options(KvmOsgi.platform(), KvmOsgi.host("intel"), KvmOsgi.feature("diag-fixtures"));
    }

    @Test
    public void pointsAreListedFromModuleFilesBeforeAnyLoad() throws Exception {
        assertEquals(List.of("mod_hvlike:hw_check", "mod_hvlike:alloc_tables", "mod_hvlike:radix_init",
                "mod_hvlike:uvmem_init", "mod_hvlike:set_ops"), lines(sh.run("failfn list mod_hvlike").transcript()));
        assertEquals("Module                  Size  Used by\n", sh.run("lsmod").transcript());
        assertTrue(lines(sh.run("failfn list").transcript()).contains("loader:parse_args"));
    }

    @Test
    public void everyPointOfTheCarefulModuleFailsCleanlyAndTheModuleLoadsAfterwards() throws Exception {
        List<String> points = new ArrayList<>();
        for (String p : lines(sh.run("failfn list").transcript())) {
            if (p.startsWith("loader:") || p.startsWith("mod_hvlike:")) {
                points.add(p);
            }
        }
        assertEquals(8 + 5, points.size());
        for (String p : points) {
            sh.run("kreset");
            assertTrue(p, sh.run("failfn inject " + p + " ENOMEM").transcript().startsWith("failfn: " + p + " fails once with -ENOMEM"));
            String load = sh.run("modprobe mod_hvlike").transcript();
            assertTrue(p + ": " + load, load.startsWith("FAIL: modprobe: ERROR: could not insert 'mod_")
                    && load.endsWith("': Cannot allocate memory"));
            assertEquals(p, "invariants: all hold\n", sh.run("invariants").transcript());
            assertEquals(p, "kmemleak: no suspected leaks\n", sh.run("kmemleak").transcript());
            assertTrue(p, sh.run("failfn status").transcript().contains("times 0 (spent"));
            assertEquals(p, "", sh.run("modprobe mod_hvlike").transcript());
            assertTrue(p, sh.run("lsmod").transcript().contains("mod_hvlike"));
            assertEquals(p, "invariants: all hold\n", sh.run("invariants").transcript());
        }
    }

    @Test
    public void theCarelessModuleShowsEachPlantedMistake() throws Exception {
        sh.run("failfn inject mod_hvbuggy:alloc_tables ENOMEM");
        assertTrue(sh.run("modprobe mod_hvbuggy").transcript().startsWith("FAIL: "));
        String inv = sh.run("invariants").transcript();
        assertTrue(inv, inv.contains("FAIL: invariants: 1 violated"));
        assertTrue(sh.run("why mod_hvbuggy").transcript().contains("at mod_hvbuggy:alloc_tables"));

        sh.run("kreset");
        sh.run("failfn inject mod_hvbuggy:uvmem_init");
        assertTrue(sh.run("modprobe mod_hvbuggy").transcript().startsWith("FAIL: "));
        assertEquals(List.of("kmemleak: 1 suspected leaks",
                "mod_hvbuggy: kmalloc \"hpt tables\" (16384 bytes) taken at mod_hvbuggy:alloc_tables"),
                lines(sh.run("kmemleak summary").transcript()));
        assertEquals("", sh.run("kmemleak clear").transcript());
        assertEquals("kmemleak: no suspected leaks\n", sh.run("kmemleak").transcript());

        sh.run("kreset");
        sh.run("failfn inject mod_hvbuggy:radix_init");
        assertEquals("the ignored error lets the load succeed", "", sh.run("modprobe mod_hvbuggy").transcript());
        assertEquals("0\n", sh.run("cat /sys/kernel/debug/fail_function/times").transcript());
    }

    @Test
    public void theOpsCheckSeesWhatInvariantsMustSee() throws Exception {
        sh.run("failfn inject mod_hvbuggy:set_ops");
        assertTrue(sh.run("modprobe mod_hvbuggy").transcript().startsWith("FAIL: "));
        assertEquals("a failure before the ops are set leaves nothing", "invariants: all hold\n", sh.run("invariants").transcript());
        // a point stays armed once spent, and the first armed point reached takes the budget
        assertTrue(sh.run("failfn inject mod_hvbuggy:alloc_tables").transcript().endsWith("; also armed: mod_hvbuggy:set_ops "
                + "(failfn clear POINT)\n"));
        assertEquals("", sh.run("failfn clear mod_hvbuggy:set_ops").transcript());
        sh.run("modprobe mod_hvbuggy");
        assertTrue(sh.run("invariants").transcript().startsWith("ops: opscore_ops dispatches to mod_hvbuggy, which is not loaded\n"));
    }

    @Test
    public void whyAnswersRootCauseFirst() throws Exception {
        assertEquals(List.of("mod_hvlike is not loaded",
                "root cause: mod_hvlike has not been loaded since boot (/lib/modules/6.13.0-kvmosgi/kernel/drivers/"
                        + "kvmosgi-diag/mod-hvlike.ko)", "it needs, not live now: mod_opscore",
                "load it with: modprobe mod_hvlike"), lines(sh.run("why mod_hvlike").transcript()));
        sh.run("failfn inject mod_hvlike:radix_init EIO");
        sh.run("modprobe mod_hvlike");
        List<String> why = lines(sh.run("why mod-hvlike").transcript());
        assertEquals("mod_hvlike is not loaded", why.get(0));
        assertEquals("root cause: mod_hvlike: its last load failed with -EIO (Input/output error) at "
                + "mod_hvlike:radix_init, host intel", why.get(1));
        assertTrue(why.contains("the failure was injected by fail_function (failfn status shows what is armed)"));
        assertEquals("mod_opscore is live",
                lines(sh.run("why mod_opscore").transcript()).get(0));
        assertEquals(List.of("/dev/kvm is absent: there is no KVM module in /lib/modules/6.13.0-kvmosgi",
                "this feature ships none; boot with --feature kvm-x86 or --feature kvm-ppc"), lines(sh.run("why /dev/kvm").transcript()));
    }

    @Test
    public void mistakesGetOneLine() throws Exception {
        assertEquals("FAIL: failfn: unknown injection point 'nope:x' (failfn list shows them)",
                sh.run("failfn inject nope:x").transcript());
        assertEquals("FAIL: failfn: unknown errno 'EWHAT' (e.g. ENOMEM, -12, EIO)",
                sh.run("failfn inject mod_hvlike:radix_init EWHAT").transcript());
        assertEquals("FAIL: failfn: mod_hvlike:radix_init is not armed", sh.run("failfn clear mod_hvlike:radix_init").transcript());
        assertEquals("FAIL: " + "why: usage: why MODULE | why /dev/NAME | why vm [TYPE]", sh.run("why").transcript());
        assertEquals("FAIL: vmfd: cannot open /dev/kvm: No such file or directory", sh.run("vmfd create").transcript());
        assertEquals("FAIL: vmfd: close of fd 99 failed: Bad file descriptor", sh.run("vmfd destroy 99").transcript());
        assertFalse(sh.run("failfn status").transcript().contains("armed:"));
    }
}
