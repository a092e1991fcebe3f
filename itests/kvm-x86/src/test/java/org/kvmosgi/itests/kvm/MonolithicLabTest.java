package org.kvmosgi.itests.kvm;

import static org.junit.Assert.*;
import static org.kvmosgi.testsupport.kit.Kernel.errno;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.kvmosgi.kernel.api.Errno;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The monolithic layout (Arcangeli 2019) on x86-lab, where both vendors pass their CPU
 * check: each vendor module carries the core and exports its symbols, so the second one
 * fails at its formation, before its init runs (Arcangeli's point 2: "verify that if two
 * modules are registering the same export symbol the second one fails to load").
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MonolithicLabTest extends KvmTestBase {
    static final String DUPLICATE = "kvm_amd: exports duplicate symbol kvm_complete_insn_gp (owned by kvm_intel)";

    @Configuration
    public Option[] config() {
        return options(kvmX86("x86-lab", "kvm-x86-monolithic", "initcall_debug"));
    }

    @Test
    public void theSecondVendorFailsBeforeItsInitWithADuplicateSymbol() throws Exception {
        assertEquals("", sh.run("modprobe kvm_intel").outOrFailure());
        assertTrue(kernel.dmesg().toString(), kernel.dmesg().stream().anyMatch(l -> l.startsWith("calling  vmx_init+")));
        assertNull("no kvm.ko in this layout", kernel.module("kvm"));
        sys.syslog(true);
        assertEquals("FAIL: modprobe: ERROR: could not insert 'kvm_amd': Exec format error", sh.run("modprobe kvm_amd").outOrFailure());
        // neither svm_init nor kvm_x86_vendor_init ran: no initcall line, no "already loaded vendor module"
        assertEquals(List.of(DUPLICATE), kernel.dmesg());
        assertNull(kernel.module("kvm_amd"));
        assertEquals(Errno.ENOENT.value(), errno(() -> sys.read("/sys/module/kvm_amd/refcnt")));
        assertFalse(sys.read("/sys/kernel/debug/kmemleak").contains("kvm_amd"));
        assertEquals(Errno.ENOEXEC.value(), errno(() -> sys.finitModule(
                "/lib/modules/" + sys.kernelRelease() + "/kernel/arch/x86/kvm/kvm-amd.ko", "", 0)));
        assertEquals("kvm_intel", ops().name());
        // the first vendor is untouched and the other loads once it is gone
        assertEquals("", sh.run("rmmod kvm_intel").outOrFailure());
        assertEquals("", sh.run("modprobe kvm_amd").outOrFailure());
        assertEquals("kvm_amd", ops().name());
    }

    @Test
    public void kvmgtLinksToWhicheverVendorIsLoadedAndPinsIt() throws Exception {
        String kvmgt = "/lib/modules/" + sys.kernelRelease() + "/kernel/drivers/gpu/drm/i915/kvmgt.ko";
        for (String vendor : List.of("kvm_amd", "kvm_intel")) {
            assertEquals("", sh.run("modprobe " + vendor).outOrFailure());
            assertEquals("", sh.run("insmod " + kvmgt).outOrFailure());
            assertEquals(1, kernel.module(vendor).refcnt());
            assertEquals("kvmgt,", kernel.module(vendor).usedBy());
            assertEquals("FAIL: rmmod: ERROR: Module " + vendor + " is in use by: kvmgt", sh.run("rmmod " + vendor).outOrFailure());
            assertEquals("", sh.run("rmmod kvmgt " + vendor).outOrFailure());
        }
    }

    /** No kvm_x86_ops: the core calls the vendor directly; request_immediate_exit is the timer, behind a branch. */
    @Test
    public void theCoreCallsTheVendorDirectly() throws Exception {
        assertEquals("", sh.run("modprobe kvm_intel").outOrFailure());
        assertTrue(sys.read("/sys/module/kvm_intel/parameters/halt_poll_ns").length() > 0);
        String table = sh.run("vm dispatch").outOrFailure();
        assertTrue(table, table.startsWith("dispatch: direct (vendor kvm_intel)\n"));
        sh.run("vm create m");
        String out = sh.run("vm run -w inl_from_qemu -n 100 --nmi 2 m").outOrFailure();
        assertTrue(out, out.contains("indirect_calls 0, 0.00 per exit: no retpoline left between core and vendor\n"));
        assertTrue(out, out.contains("immediate exits 101: 101 by preemption timer 0, 0 by self-IPI, nmi_injections 202\n"));
        assertEquals("", sh.run("vm destroy m").outOrFailure());
    }
}
