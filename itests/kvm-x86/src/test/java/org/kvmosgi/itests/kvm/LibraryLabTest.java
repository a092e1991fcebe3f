package org.kvmosgi.itests.kvm;

import static org.junit.Assert.*;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Bonzini's middle way on x86-lab: kvm.ko keeps virt/kvm and page_track, each vendor
 * carries arch/x86. x86.c's exports are duplicated (the second vendor fails before its
 * init), virt/kvm's are not (kvmgt links to kvm.ko whatever vendor is loaded).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LibraryLabTest extends KvmTestBase {

    @Configuration
    public Option[] config() {
        return options(kvmX86("x86-lab", "kvm-x86-library", ""));
    }

    @Test
    public void x86cExportsAreDuplicatedAndVirtKvmsAreNot() throws Exception {
        assertEquals("", sh.run("modprobe kvm_intel").outOrFailure());
        assertEquals(1, kernel.module("kvm").refcnt());
        assertEquals("kvm_intel,", kernel.module("kvm").usedBy());
        sys.syslog(true);
        assertEquals("FAIL: modprobe: ERROR: could not insert 'kvm_amd': Exec format error", sh.run("modprobe kvm_amd").outOrFailure());
        assertEquals(List.of("kvm_amd: exports duplicate symbol kvm_complete_insn_gp (owned by kvm_intel)"), kernel.dmesg());
        assertEquals("", sh.run("modprobe kvmgt").outOrFailure());
        assertEquals("kvm_intel,kvmgt,", kernel.module("kvm").usedBy());
        assertEquals("kvmgt stays on kvm.ko when the vendor goes", "", sh.run("rmmod kvm_intel").outOrFailure());
        assertEquals("", sh.run("modprobe kvm_amd").outOrFailure());
        assertEquals("kvmgt,kvm_amd,", kernel.module("kvm").usedBy());
    }

    @Test
    public void theVendorRunsGuestsThroughKvmKosDevKvm() throws Exception {
        assertEquals("", sh.run("modprobe kvm_amd").outOrFailure());
        sh.run("vm create l");
        String out = sh.run("vm run -w cpuid -n 1000 l").outOrFailure();
        assertTrue(out, out.startsWith("l: cpuid x 1000: 1001 exits (1 to user space)"));
        assertTrue(out, out.contains("indirect_calls 0, 0.00 per exit"));
        assertTrue(sh.run("vm dispatch").outOrFailure().startsWith("dispatch: direct (vendor kvm_amd)\n"));
        assertEquals("FAIL: rmmod: ERROR: Module kvm_amd is in use", sh.run("rmmod kvm_amd").outOrFailure().replaceAll(" by: .*", "").trim());
        assertEquals("", sh.run("vm destroy l").outOrFailure());
    }
}
