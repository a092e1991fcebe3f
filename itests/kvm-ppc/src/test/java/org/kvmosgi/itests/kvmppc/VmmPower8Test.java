package org.kvmosgi.itests.kvmppc;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.kvmosgi.testsupport.kit.KernelAssert.assertNoLeakReported;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.util.ArrayList;
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
     * The style this run of the suite boots with (the build runs it once per style: kvm.dispatch=
     * on the kernel command line, none for kvm's default) is the one kvm loads with, so every
     * other test's guests run under it; only ops calls through the VM's pointer.
     */
    @Test
    public void kvmLoadsWithTheBootsStyle() throws Exception {
        String style = System.getProperty("kvm.dispatch", "ops");
        loadBoth();
        assertEquals(style + "\n", sys.read("/sys/module/kvm/parameters/dispatch"));
        String table = sh.run("vm dispatch").outOrFailure();
        assertTrue(table, table.startsWith("dispatch: " + style + " (kvmppc_hv_ops kvm_hv, kvmppc_pr_ops kvm_pr)\n"));
        for (String type : List.of("hv", "pr")) {
            create(type, "--type " + type);
            String out = sh.run("vm run -w hcall -n 20 " + type).outOrFailure();
            assertTrue(out, out.contains(style.equals("ops") ? "indirect_calls 21, 1.00 per exit\n"
                    : "indirect_calls 0, 0.00 per exit: no retpoline left between core and vendor\n"));
        }
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

    /**
     * {@code rmmod -f kvm_hv} with an HV VM and its vCPU open: the VM's files are kvm.ko's
     * and stay open, but kvm->arch.kvm_ops points into kvm_hv's freed text. The next call
     * through it (KVM_RUN's vcpu_run) oopses in the freed module and fails -EFAULT, with no
     * module code run; destroying the VM oopses on vcpu_free and destroy_vm, and kvm.ko's
     * own part of it is freed. A fresh kvm_hv then runs a VM as before. The kernel is reset
     * before and after: the oops taints it and leaves kvm_hv's VM state leaked.
     */
    @Test
    public void forcedRmmodOfKvmHvWithVmOpen() throws Exception {
        sys.write("/sys/kernel/debug/kvmosgi/reset", "1");
        try {
            assertEquals("", sh.run("modprobe kvm_hv").outOrFailure());
            assertEquals("f: 1 vCPU, 64 KiB, type hv\n", sh.run("vm create --type hv f").outOrFailure());
            String address = kernel.module("kvm_hv").address().substring(2);
            assertEquals("the VM's pin", 1, kernel.refcnt("kvm_hv"));
            kernel.clearDmesg();

            assertEquals("", sh.run("rmmod -f kvm_hv").outOrFailure());
            assertEquals(List.of("kvm"), loaded());
            assertNotEquals("a forced unload taints R", 0, kernel.tainted() & (1 << 3));

            String ran = sh.run("vm run f").outOrFailure();
            assertTrue(ran, ran.startsWith("FAIL: vm: ") && ran.trim().endsWith("failed: Bad address"));
            List<String> oops = kernel.dmesg();
            int bug = oops.indexOf("BUG: unable to handle page fault for address: " + address);
            assertTrue(String.join("\n", oops), bug >= 0);
            assertTrue(oops.get(bug + 3), oops.get(bug + 3).startsWith("Oops: "));
            assertTrue(oops.get(bug + 4), oops.get(bug + 4).matches("CPU: 0 PID: \\d+ Comm: kvmsh Tainted: G  R {17}\\S+ #1"));
            assertEquals("RIP: 0010:0x" + address, oops.get(bug + 5));
            assertEquals("kvm.ko called through the VM's kvm_ops", " kvmppc_vcpu_run", oops.get(bug + 8));
            assertEquals(" kvm_arch_vcpu_ioctl_run", oops.get(bug + 9));
            assertTrue(String.join("\n", oops), oops.contains("Modules linked in: kvm [last unloaded: kvm_hv]"));
            assertNotEquals("an oops taints D", 0, kernel.tainted() & (1 << 7));

            assertEquals("", sh.run("vm destroy f").outOrFailure());
            List<String> log = kernel.dmesg();
            assertEquals(String.join("\n", log), List.of(" kvmppc_vcpu_run", " kvmppc_core_vcpu_free",
                    " kvmppc_core_destroy_vm"), callersOfEachBug(log));
            assertEquals(List.of(), log.stream().filter(l -> l.contains("Exception") || l.contains("module_put")).toList());
            assertEquals("the VM's files were kvm.ko's: all closed", 0, kernel.refcnt("kvm"));

            // what kvm_hv allocated for the VM went with its freed text: never freed, nothing points at it
            String leaks = sys.read("/sys/kernel/debug/kmemleak");
            assertEquals(leaks, 2, leaks.lines().filter(l -> l.startsWith("unreferenced object")).count());
            assertTrue(leaks, leaks.contains("module kvm_hv\n  kmalloc: kvm_arch (HV)"));
            assertTrue(leaks, leaks.contains("module kvm_hv\n  kmalloc: kvmppc_vcore"));
            List<String> invariants = invariants();
            assertEquals(String.join("\n", invariants), 4, invariants.size());
            assertTrue(invariants.contains("kmemleak: 2 suspected leaks"));
            assertEquals(3, invariants.stream()
                    .filter(l -> l.equals("dmesg: BUG: unable to handle page fault for address: " + address)).count());

            // the platform is usable: a fresh kvm_hv runs a VM, and nothing new is wrong
            assertEquals("", sh.run("modprobe kvm_hv").outOrFailure());
            assertEquals("g: 1 vCPU, 64 KiB, type hv\n", sh.run("vm create --type hv g").outOrFailure());
            assertEquals(1, kernel.refcnt("kvm_hv"));
            runsEachWorkload("g", 5);
            assertEquals("", sh.run("vm destroy g").outOrFailure());
            assertEquals(0, kernel.refcnt("kvm_hv"));
            assertEquals(invariants, invariants());
            assertEquals(3, kernel.dmesg().stream().filter(l -> l.startsWith("BUG: ")).count());
            assertEquals("", sh.run("modprobe -r kvm_hv").outOrFailure());
            assertEquals(List.of(), loaded());
        } finally {
            sys.write("/sys/kernel/debug/kvmosgi/reset", "1");
        }
    }

    /** The innermost caller of each oops in {@code log}: the line after each " <TASK>". */
    private static List<String> callersOfEachBug(List<String> log) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i + 1 < log.size(); i++) {
            if (log.get(i).equals(" <TASK>")) {
                out.add(log.get(i + 1));
            }
        }
        return out;
    }

    /** What `invariants` reports, one violation a line (its summary line left out). */
    private List<String> invariants() {
        List<String> out = new ArrayList<>();
        for (String l : sh.run("invariants").lines()) {
            if (!l.isBlank() && !l.startsWith("invariants: ")) {
                out.add(l);
            }
        }
        return out;
    }
}
