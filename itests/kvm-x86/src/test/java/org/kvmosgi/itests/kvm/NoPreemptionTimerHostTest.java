package org.kvmosgi.itests.kvm;

import static org.junit.Assert.*;
import static org.ops4j.pax.exam.CoreOptions.options;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.kvmosgi.kvmtool.guest.Workload;
import org.kvmosgi.kvmtool.vmm.Vm;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** VT-x without a usable preemption timer: hardware_setup drops kvm_intel's hv-timer ops. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class NoPreemptionTimerHostTest extends KvmTestBase {

    @Configuration
    public Option[] config() {
        return options(kvmX86("intel-no-preemption-timer"));
    }

    @Test
    public void hvTimerOpsAreAbsent() throws Exception {
        assertEquals("", sh.run("modprobe kvm_intel").outOrFailure());
        assertEquals("kvm_intel", ops().name());
        assertNull(ops().target("set_hv_timer"));
        assertNull(ops().target("cancel_hv_timer"));
        assertEquals("__kvm_request_immediate_exit", ops().target("request_immediate_exit"));
        try (Vm vm = Vm.create(sys, "w", 1, Vm.DEFAULT_MEM, false)) {
            assertEquals(1001, vm.run(Workload.CPUID, 1000).exits());
        }
    }

    /**
     * request_immediate_exit in the split layout: two KVM_NMIs per KVM_RUN, the second
     * cannot be injected behind the first, and vcpu_run is told to exit right after entry: without a timer, a self-IPI.
     */
    @Test
    public void immediateExitsGoByASelfIpi() throws Exception {
        assertEquals("", sh.run("modprobe kvm_intel").outOrFailure());
        sh.run("vm create ie");
        String out = sh.run("vm run -w inl_from_qemu -n 100 --nmi 2 ie").outOrFailure();
        assertTrue(out, out.contains("immediate exits 101: 0 by preemption timer 0, 101 by self-IPI, nmi_injections 202\n"));
        String stat = sh.run("vm stat ie").outOrFailure();
        assertTrue(stat, stat.contains("immediate_exit_timer 0\n"));
        assertTrue(stat, stat.contains("immediate_exit_ipi   101\n"));
        assertEquals("", sh.run("vm destroy ie").outOrFailure());
    }
}
