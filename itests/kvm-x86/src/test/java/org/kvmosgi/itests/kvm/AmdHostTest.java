package org.kvmosgi.itests.kvm;

import static org.junit.Assert.*;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.kvmosgi.kvm.api.KvmStat;
import org.kvmosgi.kvmtool.guest.Workload;
import org.kvmosgi.kvmtool.vmm.Vm;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** The AMD host: kvm_intel fails as Linux fails, kvm_amd runs the workloads the SVM way. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AmdHostTest extends KvmTestBase {

    @Configuration
    public Option[] config() {
        return options(kvmX86("amd"));
    }

    @Test
    public void kvmIntelFailsOnAmd() throws Exception {
        assertEquals("FAIL: modprobe: ERROR: could not insert 'kvm_intel': Operation not supported",
                sh.run("modprobe kvm_intel").outOrFailure().trim());
        assertEquals(List.of("kvm_intel: VMX not supported by CPU 0"), kernel.dmesg());
        assertNull(kernel.module("kvm_intel"));
        assertNotNull("kvm stays loaded, as modprobe leaves it", kernel.module("kvm"));
        assertFalse(devKvmExists());
        assertNull(ops().name());
    }

    @Test
    public void cpuModaliasPicksTheVendorModule() throws Exception {
        // X86_FEATURE_SVM is 0x00c2
        assertEquals("", sh.run("modprobe 'cpu:type:x86,ven0002fam0017mod0031:feature:,0000,00C2,'").outOrFailure());
        assertNotNull(kernel.module("kvm_amd"));
        assertNull(kernel.module("kvm_intel"));
    }

    @Test
    public void kvmAmdLoads() throws Exception {
        assertEquals("", sh.run("modprobe kvm_amd").outOrFailure());
        assertTrue(devKvmExists());
        assertEquals("kvm_amd", ops().name());
        assertNull("SVM has no hv timer", ops().target("set_hv_timer"));
        assertEquals("__kvm_request_immediate_exit", ops().target("request_immediate_exit"));
    }

    @Test
    public void workloadsExitAsOnSvm() throws Exception {
        sh.run("modprobe kvm_amd");
        int n = 1000;
        try (Vm vm = Vm.create(sys, "w", 1, Vm.DEFAULT_MEM, false)) {
            assertEquals(n + 1, vm.run(Workload.CPUID, n).exits());
            // the guest's VMCALL raises #UD once; KVM patches it to VMMCALL
            Vm.RunResult r = vm.run(Workload.VMCALL, n);
            assertEquals(n + 2, r.exits());
            assertEquals(n, r.stats[KvmStat.HYPERCALLS]);
            // V_TPR serves CR8 reads without exits
            assertEquals(1, vm.run(Workload.MOV_FROM_CR8, n).exits());
            assertEquals(n + 1, vm.run(Workload.MOV_TO_CR8, n).exits());
            assertEquals(n, vm.run(Workload.MMIO_WRITE, n).stats[KvmStat.MMIO_EXITS]);
            assertEquals(n, vm.run(Workload.HLT, n).stats[KvmStat.HALT_EXITS]);
        }
    }
}
