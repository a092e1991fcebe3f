package org.kvmosgi.itests.kvmppc;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.kvmosgi.testsupport.kit.KernelAssert.assertDmesgInOrder;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.apache.felix.feature.impl.FeatureServiceImpl;
import org.kvmosgi.testsupport.KvmOsgi;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Issue 5's planted bugs: kvm-hv.ko built from v5.17's init (the kvm-hv-legacy bundle,
 * insmod by path after modprobe kvm) under fail_function, on POWER9 bare metal. Each of the
 * three mistakes is visible with the shell's own tools (invariants, kmemleak, vm create,
 * lsmod), and the same injections into the real kvm-hv show none of them.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LegacyHvPower9Test extends VmmTestBase {
    static final String LEGACY = "/opt/kvm-hv-legacy/kvm-hv.ko";

    @Configuration
    public Option[] config() {
        Option o = ppc("power9", "kvm-ppc");
        legacyModule();
        return options(o);
    }

    /** Copies the kvm-hv-legacy bundle from the distribution (kvm-ppc-legacy ships it) to {@link #LEGACY} in the test's root. */
    static void legacyModule() {
        String version = KvmOsgi.distribution().feature("kvm-ppc").getID().getVersion();
        Path jar = KvmOsgi.distribution().artifact(new FeatureServiceImpl()
                .getIDfromMavenCoordinates("org.kvmosgi:kvm-ppc:jar:kvm-hv-legacy:" + version));
        Path target = KvmOsgi.root().root().resolve(LEGACY.substring(1));
        try {
            Files.createDirectories(target.getParent());
            Files.copy(jar, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Before
    public void freshKernel() throws Exception {
        sh.run("kreset");
        sh.run("failfn clear");
        sys.write("/sys/kernel/debug/kmemleak", "clear");
    }

    private String insmodLegacyWith(String point) throws Exception {
        assertEquals("", sh.run("modprobe kvm").outOrFailure());
        assertTrue(sh.run("failfn inject kvm_hv:" + point + " ENOMEM").outOrFailure(), true);
        return sh.run("insmod " + LEGACY).outOrFailure();
    }

    private String kmemleak() throws Exception {
        return sys.read("/sys/kernel/debug/kmemleak");
    }

    private String invariants() throws Exception {
        return sh.run("invariants").transcript();
    }

    /** Bug 1 (and 3): ops set before kvmppc_mmu_hv_init stay set when it fails; kvm.ko reaches freed code. */
    @Test
    public void opsLeftPointingAtAModuleThatIsGone() throws Exception {
        assertEquals("FAIL: insmod: ERROR: could not insert module " + LEGACY + ": Cannot allocate memory",
                insmodLegacyWith("kvmppc_mmu_hv_init"));
        assertEquals(List.of("kvm"), loaded());
        String inv = invariants();
        assertTrue(inv, inv.contains("ops: kvmppc_hv_ops dispatches to kvm_hv, which is not loaded"));
        assertEquals("FAIL: vm: KVM_CREATE_VM failed: Bad address", create("h", "--type hv"));
        assertTrue(String.join("\n", kernel.dmesg()), kernel.dmesg().stream().anyMatch(l -> l.startsWith("BUG: ioctl ")
                && l.contains("on /dev/kvm threw java.lang.IllegalStateException: Unable to handle kernel paging "
                        + "request: kvm_ops_hv.owner of module kvm_hv")));
        inv = invariants();
        assertTrue(inv, inv.contains("dmesg: BUG: ioctl "));
    }

    /** Bug 3: the kvm_hv that failed at kvmppc_uvmem_init leaves its allocations (and its ops). */
    @Test
    public void memoryNotFreedOnFailure() throws Exception {
        assertEquals("FAIL: insmod: ERROR: could not insert module " + LEGACY + ": Cannot allocate memory",
                insmodLegacyWith("kvmppc_uvmem_init"));
        assertDmesgInOrder(kernel, "KVM-HV: kvmppc_uvmem_init failed -12");
        String leaks = kmemleak();
        assertTrue(leaks, leaks.contains("lpid_inuse"));
        assertTrue(leaks, leaks.contains("kvm-pte/kvm-pmd caches"));
        assertTrue(String.join("\n", kernel.dmesg()), kernel.dmesg().stream().anyMatch(l -> l.startsWith("kmemleak")));
        assertTrue(invariants().contains("kvmppc_hv_ops dispatches to kvm_hv, which is not loaded"));
    }

    /** Bug 2: an injected kvmppc_radix_init failure fires, and the load reports success all the same. */
    @Test
    public void failedRadixInitStillReportsSuccess() throws Exception {
        assertEquals("", insmodLegacyWith("kvmppc_radix_init"));
        assertEquals(List.of("kvm", "kvm_hv"), loaded());
        String status = sh.run("failfn status").outOrFailure();
        assertTrue("the injected failure fired: " + status, status.contains("spent: nothing fires any more"));
        String history = sys.read("/sys/kernel/debug/load_history");
        assertTrue(history, history.contains("kvmppc_radix_init"));
        assertEquals("", sh.run("rmmod kvm_hv").outOrFailure());
    }

    /** The real kvm-hv under the same three injections: the load fails, nothing stays, no rule breaks. */
    @Test
    public void realKvmHvIsClean() throws Exception {
        for (String point : List.of("kvmppc_mmu_hv_init", "kvmppc_radix_init", "kvmppc_uvmem_init")) {
            sh.run("kreset");
            sys.write("/sys/kernel/debug/kmemleak", "clear");
            sh.run("failfn inject kvm_hv:" + point + " ENOMEM");
            assertEquals(point, "FAIL: modprobe: ERROR: could not insert 'kvm_hv': Cannot allocate memory",
                    sh.run("modprobe kvm_hv").outOrFailure());
            assertEquals(point, List.of("kvm"), loaded());
            assertEquals(point, "", kmemleak().strip());
            String inv = sh.run("invariants").outOrFailure();
            assertFalse(point + ": " + inv, inv.startsWith("FAIL"));
            assertEquals(point, "FAIL: vm: KVM_CREATE_VM failed: Invalid argument", create("h", "--type hv"));
        }
    }

    /** Without an injected failure the legacy build loads and runs guests like the real one. */
    @Test
    public void legacyLoadsAndRunsGuests() throws Exception {
        assertEquals("", sh.run("modprobe kvm").outOrFailure());
        assertEquals("", sh.run("insmod " + LEGACY).outOrFailure());
        assertEquals("h: 1 vCPU, 64 KiB, type hv\n", create("h", "--type hv"));
        runsEachWorkload("h", 5);
        sh.run("vm destroy h");
        assertEquals("", sh.run("rmmod kvm_hv").outOrFailure());
        assertEquals("", kmemleak().strip());
    }
}
