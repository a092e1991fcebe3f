package org.kvmosgi.kvm.x86;

import static org.junit.Assert.*;
import static org.kvmosgi.kvm.x86.Kvms.*;

import java.lang.management.ManagementFactory;
import java.util.Map;
import org.junit.Test;
import org.kvmosgi.kernel.api.host.CpuFlags;
import org.kvmosgi.kernel.api.host.Host;
import org.kvmosgi.kernel.testkit.Hosts;
import org.kvmosgi.kernel.testkit.TestKernel;
import org.kvmosgi.kvm.api.KvmStat;
import org.kvmosgi.kvm.api.X86CpuFlags;
import org.kvmosgi.kvmtool.guest.Workload;
import org.kvmosgi.kvmtool.vmm.Vm;

/** KVM_RUN with each workload on both vendors: exit counts, what reaches user space, no allocation per exit. */
public class RunLoopTest {
    private static final int N = 1000;

    private static TestKernel intelKernel() {
        TestKernel k = Kvms.kernel(intel());
        assertEquals(0, loadKvm(k));
        assertEquals(0, loadIntel(k));
        return k;
    }

    private static TestKernel amdKernel(Host h) {
        TestKernel k = Kvms.kernel(h);
        assertEquals(0, loadKvm(k));
        assertEquals(0, loadAmd(k));
        return k;
    }

    private static Vm.RunResult run(TestKernel k, Workload w) throws Exception {
        try (Vm vm = Vm.create(k.syscalls(), "t", 1, Vm.DEFAULT_MEM, w.needsIrqchip())) {
            Vm.RunResult r = vm.run(w, N);
            assertEquals("isa-debug-exit with 0", 1, r.debugExitCode);
            return r;
        }
    }

    /** exits, KVM_RUN returns, and one counter, per workload. */
    private static void check(TestKernel k, Workload w, long exits, long runs, int stat, long statValue) throws Exception {
        Vm.RunResult r = run(k, w);
        assertEquals(w.id() + " exits", exits, r.exits());
        assertEquals(w.id() + " KVM_RUN calls", runs, r.runs);
        assertEquals(w.id() + " " + KvmStat.name(stat), statValue, r.stats[stat]);
    }

    @Test
    public void intelWorkloads() throws Exception {
        TestKernel k = intelKernel();
        // every loop body exits once, plus the final OUT to isa-debug-exit (an I/O exit to user space)
        check(k, Workload.CPUID, N + 1, 1, KvmStat.IO_EXITS, 1);
        check(k, Workload.VMCALL, N + 1, 1, KvmStat.HYPERCALLS, N);
        check(k, Workload.MOV_FROM_CR8, N + 1, 1, KvmStat.IO_EXITS, 1);
        check(k, Workload.MOV_TO_CR8, N + 1, 1, KvmStat.IO_EXITS, 1);
        check(k, Workload.INL_FROM_PMTIMER, N + 1, N + 1, KvmStat.IO_EXITS, N + 1);
        check(k, Workload.INL_FROM_QEMU, N + 1, N + 1, KvmStat.IO_EXITS, N + 1);
        check(k, Workload.INL_FROM_KERNEL, N + 1, 1, KvmStat.IO_EXITS, N + 1);
        check(k, Workload.OUTL_TO_KERNEL, N + 1, 1, KvmStat.IO_EXITS, N + 1);
        check(k, Workload.RD_TSC_ADJUST_MSR, N + 1, 1, KvmStat.IO_EXITS, 1);
        check(k, Workload.WR_TSC_ADJUST_MSR, N + 1, 1, KvmStat.IO_EXITS, 1);
        check(k, Workload.HLT, N + 1, N + 1, KvmStat.HALT_EXITS, N);
        check(k, Workload.MMIO_WRITE, N + 1, N + 1, KvmStat.MMIO_EXITS, N);
        check(k, Workload.MMIO_READ, N + 1, N + 1, KvmStat.INSN_EMULATION, N);
        check(k, Workload.OUTL_TO_QEMU, N + 1, N + 1, KvmStat.IO_EXITS, N + 1);
    }

    @Test
    public void amdWorkloads() throws Exception {
        TestKernel k = amdKernel(amd());
        check(k, Workload.CPUID, N + 1, 1, KvmStat.IO_EXITS, 1);
        // VMCALL is Intel's: the first one raises #UD, KVM patches it to VMMCALL (kvm_fix_hypercall)
        check(k, Workload.VMCALL, N + 2, 1, KvmStat.INSN_EMULATION, 1);
        // CR8 reads are served by V_TPR without an exit
        check(k, Workload.MOV_FROM_CR8, 1, 1, KvmStat.IO_EXITS, 1);
        check(k, Workload.MOV_TO_CR8, N + 1, 1, KvmStat.IO_EXITS, 1);
        check(k, Workload.INL_FROM_PMTIMER, N + 1, N + 1, KvmStat.IO_EXITS, N + 1);
        check(k, Workload.INL_FROM_KERNEL, N + 1, 1, KvmStat.IO_EXITS, N + 1);
        check(k, Workload.RD_TSC_ADJUST_MSR, N + 1, 1, KvmStat.IO_EXITS, 1);
        check(k, Workload.HLT, N + 1, N + 1, KvmStat.HALT_EXITS, N);
        check(k, Workload.MMIO_WRITE, N + 1, N + 1, KvmStat.MMIO_EXITS, N);
        check(k, Workload.MMIO_READ, N + 1, N + 1, KvmStat.MMIO_EXITS, N);
    }

    @Test
    public void amdWithoutNripsSkipsByEmulation() throws Exception {
        Host h = Hosts.of("amd-old", "AuthenticAMD", 2, CpuFlags.SVM, CpuFlags.NPT);
        TestKernel k = amdKernel(h);
        check(k, Workload.CPUID, N + 1, 1, KvmStat.IO_EXITS, 1);
        check(k, Workload.WR_TSC_ADJUST_MSR, N + 1, 1, KvmStat.IO_EXITS, 1);
    }

    @Test
    public void shadowPagingTurnsMmioIntoPageFaults() throws Exception {
        TestKernel k = Kvms.kernel(intel());
        loadKvm(k);
        Map<String, String> p = vmxParams();
        p.put("ept", "N");
        assertEquals(0, loadIntel(k, p));
        check(k, Workload.MMIO_WRITE, N + 1, N + 1, KvmStat.MMIO_EXITS, N);
        Host noNpt = Hosts.of("amd-nonpt", "AuthenticAMD", 2, CpuFlags.SVM, X86CpuFlags.NRIPS);
        check(amdKernel(noNpt), Workload.MMIO_READ, N + 1, N + 1, KvmStat.MMIO_EXITS, N);
    }

    @Test
    public void pmTimerAndMmioValuesReachTheGuest() throws Exception {
        TestKernel k = intelKernel();
        try (Vm vm = Vm.create(k.syscalls(), "t", 1, Vm.DEFAULT_MEM, false)) {
            vm.run(Workload.MMIO_WRITE, 1);
            vm.run(Workload.MMIO_READ, 1);
            org.kvmosgi.kvm.api.KvmRegs regs = new org.kvmosgi.kvm.api.KvmRegs();
            k.syscalls().ioctl(vm.vcpuFd(0), org.kvmosgi.kvm.api.KvmIoctl.KVM_GET_REGS, regs);
            // the last instruction wrote 0 to isa-debug-exit through EAX; EDI still holds the MMIO address
            assertEquals(0xd0000000L, regs.rdi);
            vm.run(Workload.OUTL_TO_QEMU, 3);
            assertEquals("xxx", vm.serialOutput());
        }
    }

    @Test
    public void runLoopAllocatesNothingPerExit() throws Exception {
        TestKernel k = intelKernel();
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Vm vm = Vm.create(k.syscalls(), "t", 1, Vm.DEFAULT_MEM, false)) {
            vm.run(Workload.CPUID, 200_000); // warm up: JIT, first-use allocations
            long tid = Thread.currentThread().getId();
            long before = mx.getThreadAllocatedBytes(tid);
            Vm.RunResult r = vm.run(Workload.CPUID, 200_000);
            long allocated = mx.getThreadAllocatedBytes(tid) - before;
            assertEquals(200_001, r.exits());
            assertTrue("allocated " + allocated + " bytes for 200001 exits", allocated < 64 * 1024);
        }
    }

    /**
     * Guest RAM the host cannot back (the surefire JVM's 256 MiB direct-memory limit):
     * -ENOMEM, and the /dev/kvm fd, the VM fd and the VM's pin on kvm_intel are given back.
     */
    @Test
    public void guestRamWithoutMemoryGivesBackWhatTheCreateTook() throws Exception {
        TestKernel k = intelKernel();
        for (int i = 0; i < 2; i++) {
            try {
                Vm.create(k.syscalls(), "big", 1, 1 << 30, false).close();
                fail("1 GiB of guest RAM is above the direct-memory limit");
            } catch (Vm.VmmException e) {
                assertEquals("out of memory: guest RAM of 1048576 KiB: Cannot allocate memory", e.getMessage());
                assertEquals(12, e.errno);
            }
        }
        assertEverythingGivenBack(k);
    }

    /**
     * vmx_vcpu_create() without memory for the second VMCS: KVM_CREATE_VCPU is -ENOMEM,
     * and the failed create gives back everything, the VM's and the fds' references and
     * the first vCPU's VMCS included, as kvm_vm_ioctl_create_vcpu()'s unwinding does.
     */
    @Test
    public void vcpuCreateWithoutMemoryGivesBackWhatItTook() throws Exception {
        TestKernel k = intelKernel();
        int[] vmcs = {0};
        k.failKmalloc(what -> what.equals("vmcs") && ++vmcs[0] == 2);
        try {
            Vm.create(k.syscalls(), "t", 2, Vm.DEFAULT_MEM, false).close();
            fail("the second VMCS could not be allocated");
        } catch (Vm.VmmException e) {
            assertEquals("KVM_CREATE_VCPU failed: Cannot allocate memory", e.getMessage());
            assertEquals(12, e.errno);
        }
        assertEverythingGivenBack(k);
    }

    /** No reference on kvm_intel, no fd open, and nothing of kvm_intel's allocated: it unloads. */
    private static void assertEverythingGivenBack(TestKernel k) {
        assertEquals(0, k.refcount("kvm_intel"));
        assertEquals(0, k.openFiles());
        assertEquals(0, k.unload("kvm_intel"));
        assertTrue(k.allocations().toString(), k.allocationsOf("kvm_intel").isEmpty());
    }

    @Test
    public void vmFdsPinTheVendorAndClosingDestroysTheVm() throws Exception {
        TestKernel k = intelKernel();
        Vm vm = Vm.create(k.syscalls(), "t", 2, Vm.DEFAULT_MEM, false);
        // /dev/kvm, the VM fd, two vCPU fds, and the VM's own reference
        assertEquals(5, k.refcount("kvm_intel"));
        assertEquals(org.kvmosgi.kernel.api.Errno.EBUSY.neg(), k.unload("kvm_intel"));
        int vmcs = k.allocationsOf("kvm_intel").size();
        vm.close();
        assertEquals(0, k.refcount("kvm_intel"));
        assertEquals("the VMCSs are freed with the VM", vmcs - 2, k.allocationsOf("kvm_intel").size());
        assertEquals(0, k.openFiles());
        assertEquals(0, k.unload("kvm_intel"));
        assertTrue(k.allocations().isEmpty());
    }
}
