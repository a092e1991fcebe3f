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
 * The monolithic layout on an Intel host without a usable preemption timer: which check
 * fires first for kvm_amd depends on whether kvm_intel holds the symbols (the duplicate,
 * at formation) or not (svm_init's vendor check); the immediate exit is the self-IPI.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MonolithicIntelTest extends KvmTestBase {

    @Configuration
    public Option[] config() {
        return options(kvmX86("intel-no-preemption-timer", "kvm-x86-monolithic", ""));
    }

    @Test
    public void theDuplicateSymbolFiresBeforeTheVendorCheck() throws Exception {
        String amd = "/lib/modules/" + sys.kernelRelease() + "/kernel/arch/x86/kvm/kvm-amd.ko";
        assertEquals("FAIL: insmod: ERROR: could not insert module " + amd + ": Operation not supported", sh.run("insmod " + amd).outOrFailure());
        assertEquals(List.of("kvm_amd: CPU 0 isn't AMD or Hygon"), kernel.dmesg());
        assertEquals("", sh.run("modprobe kvm_intel").outOrFailure());
        sys.syslog(true);
        assertEquals("FAIL: insmod: ERROR: could not insert module " + amd + ": Invalid module format", sh.run("insmod " + amd).outOrFailure());
        assertEquals(List.of("kvm_amd: exports duplicate symbol kvm_complete_insn_gp (owned by kvm_intel)"), kernel.dmesg());
    }

    @Test
    public void withoutAPreemptionTimerTheImmediateExitIsASelfIpi() throws Exception {
        assertEquals("", sh.run("modprobe kvm_intel").outOrFailure());
        assertEquals("__kvm_request_immediate_exit", ops().target("request_immediate_exit"));
        sh.run("vm create t");
        String out = sh.run("vm run -w inl_from_qemu -n 100 --nmi 2 t").outOrFailure();
        assertTrue(out, out.contains("immediate exits 101: 0 by preemption timer 0, 101 by self-IPI, nmi_injections 202\n"));
        assertEquals("", sh.run("vm destroy t").outOrFailure());
    }
}
