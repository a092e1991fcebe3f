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
        assertEquals("", run("modprobe kvm_intel"));
        assertEquals("1", procModule("kvm")[2]);
        assertEquals("kvm_intel,", procModule("kvm")[3]);
        sys.syslog(true);
        assertEquals("FAIL: modprobe: ERROR: could not insert 'kvm_amd': Exec format error", run("modprobe kvm_amd"));
        assertEquals(List.of("kvm_amd: exports duplicate symbol kvm_complete_insn_gp (owned by kvm_intel)"), dmesg());
        assertEquals("", run("modprobe kvmgt"));
        assertEquals("kvm_intel,kvmgt,", procModule("kvm")[3]);
        assertEquals("kvmgt stays on kvm.ko when the vendor goes", "", run("rmmod kvm_intel"));
        assertEquals("", run("modprobe kvm_amd"));
        assertEquals("kvmgt,kvm_amd,", procModule("kvm")[3]);
    }

    @Test
    public void theVendorRunsGuestsThroughKvmKosDevKvm() throws Exception {
        assertEquals("", run("modprobe kvm_amd"));
        run("vm create l");
        String out = run("vm run -w cpuid -n 1000 l");
        assertTrue(out, out.startsWith("l: cpuid x 1000: 1001 exits (1 to user space)"));
        assertTrue(out, out.contains("indirect_calls 0, 0.00 per exit"));
        assertTrue(run("vm dispatch").startsWith("dispatch: direct (vendor kvm_amd)\n"));
        assertEquals("FAIL: rmmod: ERROR: Module kvm_amd is in use", run("rmmod kvm_amd").replaceAll(" by: .*", "").trim());
        assertEquals("", run("vm destroy l"));
    }
}
