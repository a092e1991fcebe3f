package org.kvmosgi.itests.kvm;

import static org.junit.Assert.*;
import static org.kvmosgi.kvm.api.KvmIoctl.*;
import static org.kvmosgi.testsupport.kit.Kernel.errno;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kvm.api.KvmCap;
import org.kvmosgi.kvm.api.KvmRegs;
import org.kvmosgi.kvm.api.KvmRunLayout;
import org.kvmosgi.kvm.api.KvmStat;
import org.kvmosgi.kvm.api.KvmUserspaceMemoryRegion;
import org.kvmosgi.kvmtool.guest.Workload;
import org.kvmosgi.kvmtool.vmm.Vm;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** The default Intel host: modprobe kvm_intel, /dev/kvm, its ioctls and errors, workloads, pinning. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class IntelHostTest extends KvmTestBase {

    @Configuration
    public Option[] config() {
        return options(kvmX86("intel"));
    }

    @Test
    public void modprobeLoadsKvmFirstThenRegistersDevKvm() throws Exception {
        assertFalse(devKvmExists());
        assertEquals("", sh.run("modprobe kvm_intel").outOrFailure());
        assertEquals(1, kernel.module("kvm").refcnt());
        assertEquals("kvm_intel,", kernel.module("kvm").usedBy());
        assertEquals("Live", kernel.module("kvm_intel").state());
        assertTrue(devKvmExists());
        assertEquals("kvm_intel", ops().name());
        assertEquals("vmx_set_hv_timer", ops().target("set_hv_timer"));
        assertEquals("vmx_request_immediate_exit", ops().target("request_immediate_exit"));
        assertEquals(List.of(), kernel.dmesg());
    }

    @Test
    public void cpuModaliasPicksTheVendorModule() throws Exception {
        // what udev runs for the CPU device: X86_FEATURE_VMX is 0x0085
        assertEquals("", sh.run("modprobe 'cpu:type:x86,ven0000fam0006mod0055:feature:,0000,0004,0085,'").outOrFailure());
        assertNotNull(kernel.module("kvm_intel"));
        assertNull(kernel.module("kvm_amd"));
    }

    @Test
    public void kvmAloneHasNoDevKvm() throws Exception {
        sh.run("modprobe kvm");
        assertNotNull(kernel.module("kvm"));
        assertFalse(devKvmExists());
        assertNull(ops().name());
    }

    @Test
    public void kvmAmdFailsOnIntel() throws Exception {
        assertEquals("FAIL: modprobe: ERROR: could not insert 'kvm_amd': Operation not supported", sh.run("modprobe kvm_amd").outOrFailure().trim());
        assertEquals(List.of("kvm_amd: CPU 0 isn't AMD or Hygon"), kernel.dmesg());
        assertNull(kernel.module("kvm_amd"));
        assertNotNull("modprobe does not roll back kvm", kernel.module("kvm"));
        assertFalse(devKvmExists());
    }

    @Test
    public void preemptionTimerOffDropsTheHvTimerOps() throws Exception {
        sh.run("modprobe kvm_intel preemption_timer=N");
        assertNull(ops().target("set_hv_timer"));
        assertNull(ops().target("cancel_hv_timer"));
        assertEquals("__kvm_request_immediate_exit", ops().target("request_immediate_exit"));
    }

    @Test
    public void devKvmIoctlsAndTheirErrors() throws Exception {
        sh.run("modprobe kvm_intel");
        int kvm = sys.open("/dev/kvm");
        try {
            assertEquals(KVM_API_VERSION, sys.ioctl(kvm, KVM_GET_API_VERSION, 0));
            assertEquals(Errno.EINVAL.value(), errno(() -> sys.ioctl(kvm, KVM_GET_API_VERSION, 1)));
            assertEquals(1, sys.ioctl(kvm, KVM_CHECK_EXTENSION, KvmCap.KVM_CAP_USER_MEMORY));
            assertEquals(0, sys.ioctl(kvm, KVM_CHECK_EXTENSION, 100000));
            assertEquals(KvmRunLayout.MMAP_SIZE, sys.ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0));
            assertEquals("unknown /dev/kvm ioctl", Errno.EINVAL.value(), errno(() -> sys.ioctl(kvm, KVM_RUN, 0)));
            assertEquals("VM type", Errno.EINVAL.value(), errno(() -> sys.ioctl(kvm, KVM_CREATE_VM, 7)));
            int vm = (int) sys.ioctl(kvm, KVM_CREATE_VM, 0);
            assertEquals("unknown VM ioctl", Errno.ENOTTY.value(), errno(() -> sys.ioctl(vm, KVM_RUN, 0)));
            assertEquals(Errno.EFAULT.value(), errno(() -> sys.ioctl(vm, KVM_SET_USER_MEMORY_REGION, null)));
            assertEquals(Errno.EINVAL.value(), errno(() -> sys.ioctl(vm, KVM_SET_USER_MEMORY_REGION,
                    new KvmUserspaceMemoryRegion(0, 0, 0x100, 4096, java.nio.ByteBuffer.allocate(4096)))));
            int vcpu = (int) sys.ioctl(vm, KVM_CREATE_VCPU, 0);
            assertEquals(Errno.EEXIST.value(), errno(() -> sys.ioctl(vm, KVM_CREATE_VCPU, 0)));
            assertEquals(Errno.EINVAL.value(), errno(() -> sys.ioctl(vm, KVM_CREATE_VCPU, -1)));
            assertEquals("unknown vCPU ioctl", Errno.EINVAL.value(), errno(() -> sys.ioctl(vcpu, KVM_CREATE_VM, 0)));
            assertEquals(Errno.EINVAL.value(), errno(() -> sys.ioctl(vcpu, KVM_RUN, 1)));
            assertEquals(Errno.EFAULT.value(), errno(() -> sys.ioctl(vcpu, KVM_GET_REGS, "regs")));
            KvmRegs regs = new KvmRegs();
            sys.ioctl(vcpu, KVM_GET_REGS, regs);
            assertEquals(2, regs.rflags);
            sys.close(vcpu);
            sys.close(vm);
            assertEquals(Errno.EBADF.value(), errno(() -> sys.ioctl(vm, KVM_CREATE_VCPU, 1)));
        } finally {
            sys.close(kvm);
        }
    }

    @Test
    public void openFilesPinTheVendorModule() throws Exception {
        sh.run("modprobe kvm_intel");
        Vm vm = Vm.create(sys, "pin", 1, Vm.DEFAULT_MEM, false);
        try {
            // /dev/kvm, the VM fd, the vCPU fd and the VM itself
            assertEquals(4, kernel.refcnt("kvm_intel"));
            assertEquals("FAIL: rmmod: ERROR: Module kvm_intel is in use", sh.run("rmmod kvm_intel").outOrFailure().trim());
            // kvm is held by the symbol link: delete_module says -EWOULDBLOCK
            assertEquals(Errno.EWOULDBLOCK.value(), errno(() -> sys.deleteModule("kvm", 04000)));
        } finally {
            vm.close();
        }
        assertEquals(0, kernel.refcnt("kvm_intel"));
        assertEquals("", sh.run("rmmod kvm_intel").outOrFailure());
        assertFalse(devKvmExists());
        assertNull(ops().name());
        assertEquals("", sh.run("rmmod kvm").outOrFailure());
    }

    @Test
    public void workloadsExitAsOnVmx() throws Exception {
        sh.run("modprobe kvm_intel");
        int n = 1000;
        for (Workload w : Workload.values()) {
            try (Vm vm = Vm.create(sys, "w", 1, Vm.DEFAULT_MEM, w.needsIrqchip())) {
                Vm.RunResult r = vm.run(w, n);
                assertEquals(w.id(), n + 1, r.exits());
                assertEquals(w.id(), 1, r.debugExitCode);
            }
        }
        try (Vm vm = Vm.create(sys, "w", 1, Vm.DEFAULT_MEM, false)) {
            assertEquals(n, vm.run(Workload.HLT, n).stats[KvmStat.HALT_EXITS]);
            assertEquals(n, vm.run(Workload.VMCALL, n).stats[KvmStat.HYPERCALLS]);
            assertEquals(n, vm.run(Workload.MMIO_READ, n).stats[KvmStat.MMIO_EXITS]);
            assertEquals(n + 1, vm.run(Workload.INL_FROM_PMTIMER, n).stats[KvmStat.IO_EXITS]);
        }
    }

    /**
     * Guest RAM the host cannot back: one line with -ENOMEM's text, and everything the
     * create took (the /dev/kvm and VM fds, the VM's pin on kvm_intel) given back.
     */
    @Test
    public void vmCreateOutOfMemoryGivesBackWhatItTook() throws Exception {
        sh.run("modprobe kvm_intel");
        for (int i = 0; i < 2; i++) {
            assertEquals("FAIL: vm: out of memory: guest RAM of 1048576 KiB: Cannot allocate memory",
                    sh.run("vm create --mem 1048576 big").outOrFailure());
        }
        assertEquals(0, kernel.refcnt("kvm_intel"));
        assertFalse(sh.run("vm list").outOrFailure().contains("big"));
        assertEquals("", sys.read("/sys/kernel/debug/kmemleak"));
        assertEquals("", sys.read("/sys/kernel/debug/kvmosgi/invariants"));
        assertEquals("small: 1 vCPU, 64 KiB\n", sh.run("vm create small").outOrFailure());
        assertEquals("", sh.run("vm destroy small").outOrFailure());
        assertEquals(0, kernel.refcnt("kvm_intel"));
    }

    @Test
    public void vmCommands() throws Exception {
        assertTrue(sh.run("vm create").outOrFailure().startsWith("FAIL: vm: '/dev/kvm' not found."));
        sh.run("modprobe kvm_intel");
        assertEquals("vm0: 1 vCPU, 64 KiB\n", sh.run("vm create").outOrFailure());
        assertTrue(sh.run("vm list").outOrFailure().contains("vm0"));
        String out = sh.run("vm run --workload cpuid --iterations 1000 vm0").outOrFailure();
        assertTrue(out, out.startsWith("vm0: cpuid x 1000: 1001 exits (1 to user space)"));
        assertTrue(out, out.contains("exits/s") && out.contains("ns per exit"));
        assertTrue(sh.run("vm stat vm0").outOrFailure().contains("exits                1001"));
        assertEquals("vm0: vCPU 1 created (2 vCPUs)\n", sh.run("vm vcpu vm0").outOrFailure());
        assertEquals("FAIL: vm: KVM_CREATE_VCPU failed: File exists", sh.run("vm vcpu vm0 1").outOrFailure());
        assertTrue(sh.run("vm run --vcpu 1 -w vmcall -n 10 vm0").outOrFailure().startsWith("vm0: vmcall x 10: 11 exits"));
        assertTrue("the VM's stats sum its vCPUs", sh.run("vm stat vm0").outOrFailure().contains("exits                1012"));
        assertEquals("FAIL: vm: unknown workload 'nope' (one of: cpuid, vmcall, mov_from_cr8, mov_to_cr8, "
                + "inl_from_pmtimer, inl_from_qemu, inl_from_kernel, outl_to_kernel, rd_tsc_adjust_msr, "
                + "wr_tsc_adjust_msr, hlt, mmio_write, mmio_read, outl_to_qemu)", sh.run("vm run -w nope vm0").outOrFailure());
        assertEquals("", sh.run("vm destroy vm0").outOrFailure());
        assertEquals("FAIL: vm: VM 'vm0' not found", sh.run("vm destroy vm0").outOrFailure());
    }

    @Test
    public void vmLockSwitchesThePvLockOpsWhenTheHintChanges() throws Exception {
        sh.run("modprobe kvm_intel");
        sh.run("vm create --vcpus 4 --irqchip pv");
        String ok = sh.run("vm lock --switches 10 pv").outOrFailure();
        assertTrue(ok, ok.contains("  switches      10 of 10 (to native 5, to pv 5)\n"));
        assertTrue(ok, ok.contains("  stop_machine  10, longest "));
        assertTrue(ok, ok.contains("  result        ok: mutual exclusion held, no hang\n"));
        assertTrue(ok, ok.contains("\n    kvm-guest: PV spinlocks enabled\n    kvm-guest: PV spinlocks disabled with KVM_HINTS_REALTIME hints\n"));
        assertEquals("FAIL: vm: pv lock: hang with --switch no_transfer",
                sh.run("vm lock --switch no_transfer --switches 10 --hang-ms 300 pv").outOrFailure());
        assertEquals("FAIL: vm: unknown switch 'nope' (one of: stop_machine, one_by_one, no_transfer)",
                sh.run("vm lock --switch nope pv").outOrFailure());
        sh.run("vm create --vcpus 2 nochip");
        assertEquals("FAIL: vm: the pv lock halts and kicks through the in-kernel irqchip (create the VM with --irqchip)",
                sh.run("vm lock nochip").outOrFailure());
        assertEquals("", sh.run("vm destroy pv").outOrFailure());
        assertEquals("", sh.run("vm destroy nochip").outOrFailure());
    }

    @Test
    public void vmHelpListsEveryCommandAndAMistakeSaysWhereToLook() throws Exception {
        String help = sh.run("vm help").outOrFailure();
        for (String command : List.of("create", "vcpu", "run", "lock", "list", "stat", "destroy")) {
            assertTrue(command, help.contains("\n  " + command + " "));
        }
        assertEquals(help, sh.run("vm --help").outOrFailure());
        assertEquals("FAIL: vm: unknown command 'crate' (vm help lists them)", sh.run("vm crate").outOrFailure());
    }

    /**
     * The style this run of the suite boots with (the build runs it once per style:
     * kvm.dispatch= on the kernel command line, none for kvm's default, static_call) is the
     * one kvm loads with, so every other test's guests run under it; only ops calls the
     * vendor through the table.
     */
    @Test
    public void kvmLoadsWithTheBootsStyle() throws Exception {
        assertEquals("", sh.run("modprobe kvm_intel").outOrFailure());
        assertCpuidGuestRunsUnder(System.getProperty("kvm.dispatch", "static_call"), "b");
    }

    /**
     * With kvm and kvm_intel loaded: kvm took {@code style}, vm dispatch shows the sites
     * there, and a cpuid guest on VM {@code vm} runs with the indirect calls that style
     * makes (vcpu_run, handle_exit, skip_emulated_instruction per exit under ops; none
     * otherwise).
     */
    private void assertCpuidGuestRunsUnder(String style, String vm) throws Exception {
        assertEquals(style + "\n", sys.read("/sys/module/kvm/parameters/dispatch"));
        String table = sh.run("vm dispatch").outOrFailure();
        assertTrue(table, table.startsWith("dispatch: " + style + " (vendor kvm_intel)\n"));
        assertTrue(table, table.contains(String.format("%-30s %-12s %s", "vcpu_run", style, "vmx_vcpu_run")));
        sh.run("vm create " + vm);
        String out = sh.run("vm run -w cpuid -n 1000 " + vm).outOrFailure();
        assertTrue(out, out.startsWith(vm + ": cpuid x 1000: 1001 exits (1 to user space)"));
        assertTrue(out, out.contains(style.equals("ops") ? "indirect_calls 3002, 3.00 per exit\n"
                : "indirect_calls 0, 0.00 per exit: no retpoline left between core and vendor\n"));
        assertEquals("", sh.run("vm destroy " + vm).outOrFailure());
    }

    /**
     * kvm.dispatch= as modprobe passes it: the same guest under each style; only ops
     * calls the vendor through the table (vcpu_run, handle_exit, skip_emulated_instruction
     * per cpuid exit), and vm dispatch shows where the sites point.
     */
    @Test
    public void dispatchStylesRunTheSameGuestAndCountTheirIndirectCalls() throws Exception {
        for (String style : List.of("ops", "static_call", "direct")) {
            assertEquals("", sh.run("modprobe kvm dispatch=" + style).outOrFailure());
            sh.run("modprobe kvm_intel");
            assertCpuidGuestRunsUnder(style, "d");
            assertEquals("", sh.run("rmmod kvm_intel kvm").outOrFailure());
        }
        assertTrue(sh.run("modprobe kvm dispatch=retpoline").outOrFailure().startsWith("FAIL: modprobe: ERROR: could not insert 'kvm': Invalid argument"));
        assertTrue(kernel.dmesg().toString(), kernel.dmesg().contains("kvm: invalid dispatch 'retpoline' (ops, static_call or direct)"));
    }

    /**
     * request_immediate_exit in the split layout: two KVM_NMIs per KVM_RUN, the second
     * cannot be injected behind the first, and vcpu_run is told to exit right after entry: the preemption timer armed at 0.
     */
    @Test
    public void immediateExitsGoByThePreemptionTimer() throws Exception {
        assertEquals("", sh.run("modprobe kvm_intel").outOrFailure());
        sh.run("vm create ie");
        String out = sh.run("vm run -w inl_from_qemu -n 100 --nmi 2 ie").outOrFailure();
        assertTrue(out, out.contains("immediate exits 101: 101 by preemption timer 0, 0 by self-IPI, nmi_injections 202\n"));
        String stat = sh.run("vm stat ie").outOrFailure();
        assertTrue(stat, stat.contains("immediate_exit_timer 101\n"));
        assertTrue(stat, stat.contains("immediate_exit_ipi   0\n"));
        assertEquals("", sh.run("vm destroy ie").outOrFailure());
    }
}
