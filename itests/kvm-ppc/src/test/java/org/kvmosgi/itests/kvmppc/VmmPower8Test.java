package org.kvmosgi.itests.kvmppc;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.kvmosgi.testsupport.kit.KernelAssert.assertNoLeakReported;
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
 * kvmtool on POWER8, where HV and PR are live at once: each PowerPC workload through
 * {@code vm run} under each, with its exit counts, and {@code vm create --type} choosing the
 * implementation (the VM pins the module that runs it).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class VmmPower8Test extends VmmTestBase {
    @Configuration
    public Option[] config() {
        return options(ppc("power8", "kvm-ppc"));
    }

    private void loadBoth() throws Exception {
        assertEquals("", sh.run("modprobe kvm_hv").outOrFailure());
        assertEquals("", sh.run("modprobe kvm_pr").outOrFailure());
    }

    @Test
    public void workloadsUnderHv() throws Exception {
        loadBoth();
        assertEquals("h: 1 vCPU, 64 KiB, type hv\n", create("h", "--type hv"));
        runsEachWorkload("h", 50);
        assertEquals(1, kernel.refcnt("kvm_hv"));
        assertEquals(0, kernel.refcnt("kvm_pr"));
    }

    /** PR runs PAPR hcalls in user space only after KVM_ENABLE_CAP, which kvmtool does per vCPU. */
    @Test
    public void workloadsUnderPr() throws Exception {
        loadBoth();
        assertEquals("p: 2 vCPUs, 128 KiB, type pr\n", create("p", "--type pr --vcpus 2 --mem 128"));
        runsEachWorkload("p", 50);
        String out = sh.run("vm run --workload hcall --iterations 3 --vcpu 1 p").outOrFailure();
        assertEquals(out, 4, exits(out));
        assertEquals(0, kernel.refcnt("kvm_hv"));
        assertEquals(1, kernel.refcnt("kvm_pr"));
        assertNoLeakReported(kernel);
    }

    /**
     * kvm.dispatch= as modprobe passes it to kvm: HV and PR guests under each style in one
     * framework; only ops calls vcpu_run through the VM's kvmppc_ops pointer (once per
     * KVM_RUN, and every exit of these workloads is one), and vm dispatch shows where the
     * sites point. kvm is reloaded without a parameter at the end.
     */
    @Test
    public void dispatchStylesRunHvAndPrGuestsAndCountTheirIndirectCalls() throws Exception {
        for (String style : List.of("ops", "static_call", "direct")) {
            sh.run("rmmod kvm_pr kvm_hv kvm");
            assertEquals("", sh.run("modprobe kvm dispatch=" + style).outOrFailure());
            assertEquals(style + "\n", sys.read("/sys/module/kvm/parameters/dispatch"));
            loadBoth();
            String table = sh.run("vm dispatch").outOrFailure();
            assertTrue(table, table.startsWith("dispatch: " + style + " (kvmppc_hv_ops kvm_hv, kvmppc_pr_ops kvm_pr)\n"));
            assertTrue(table, table.contains(String.format("%-32s %-12s %s%n", "kvmppc_pr_ops.vcpu_run", style,
                    "kvmppc_vcpu_run_pr")));
            for (String type : List.of("hv", "pr")) {
                sh.run("vm create --type " + type + " d");
                runsEachWorkload("d", 20);
                String out = sh.run("vm run -w hcall -n 20 d").outOrFailure();
                assertTrue(out, out.contains(style.equals("ops") ? "indirect_calls 21, 1.00 per exit\n"
                        : "indirect_calls 0, 0.00 per exit: no retpoline left between core and vendor\n"));
                assertEquals("", sh.run("vm destroy d").outOrFailure());
            }
        }
        assertEquals("", sh.run("rmmod kvm_pr kvm_hv kvm").outOrFailure());
        assertTrue(sh.run("modprobe kvm dispatch=retpoline").outOrFailure().startsWith("FAIL: modprobe: ERROR: could not insert 'kvm': Invalid argument"));
        assertEquals("", sh.run("modprobe kvm").outOrFailure()); // back to the boot's style for the other tests
    }

    @Test
    public void typeSelection() throws Exception {
        loadBoth();
        assertTrue(create("d", "").startsWith("d: "));
        assertEquals("type 0 prefers HV", 1, kernel.refcnt("kvm_hv"));
        create("p", "--type pr");
        assertEquals(1, kernel.refcnt("kvm_pr"));
        create("n", "--type 2");
        assertEquals("a number is KVM_CREATE_VM's type as it is", 2, kernel.refcnt("kvm_pr"));
        assertEquals("FAIL: vm: KVM_CREATE_VM failed: Invalid argument", create("x", "--type 3"));
        assertEquals("FAIL: vm: invalid value for --type: 'xen'", create("y", "--type xen"));
        assertTrue("a VM pins its implementation",
                sh.run("rmmod kvm_pr").outOrFailure().startsWith("FAIL: rmmod: ERROR: Module kvm_pr is in use"));
        sh.run("vm destroy p");
        sh.run("vm destroy n");
        assertEquals(0, kernel.refcnt("kvm_pr"));
    }

    @Test
    public void memoryIn64KPages() throws Exception {
        loadBoth();
        assertEquals("FAIL: vm: invalid value for --mem: guest RAM must be a multiple of 64 KiB on ppc64",
                create("m", "--mem 96"));
        assertEquals("FAIL: vm: invalid value for --mem: guest RAM must be a multiple of 64 KiB on ppc64",
                create("m", "--mem 32"));
        assertEquals("m: 1 vCPU, 192 KiB\n", create("m", "--mem 192"));
        assertEquals("FAIL: vm: --irqchip is the x86 in-kernel PIC/IOAPIC; this is ppc64le",
                create("i", "--irqchip"));
    }

    @Test
    public void x86WorkloadsAreRefused() throws Exception {
        loadBoth();
        create("h", "--type hv");
        assertEquals("FAIL: vm: unknown workload 'cpuid' (one of: hcall, mmio_write, mmio_read)",
                sh.run("vm run --workload cpuid h").outOrFailure());
        assertEquals("uname -m reads the kernel's arch", "ppc64le\n", sys.read("/proc/sys/kernel/arch"));
    }
}
