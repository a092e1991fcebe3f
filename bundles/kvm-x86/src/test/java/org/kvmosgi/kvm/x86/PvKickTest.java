package org.kvmosgi.kvm.x86;

import static org.junit.Assert.*;
import static org.kvmosgi.kvm.x86.Kvms.*;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.Test;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.testkit.TestKernel;
import org.kvmosgi.kvm.api.KvmCpuid2;
import org.kvmosgi.kvm.api.KvmIoctl;
import org.kvmosgi.kvm.api.KvmStat;
import org.kvmosgi.kvm.api.x86.X86;
import org.kvmosgi.kvmtool.guest.Workload;
import org.kvmosgi.kvmtool.vmm.Vm;

/** KVM_SET_CPUID2 / KVM_GET_CPUID2 and the pv unhalt: KVM_HC_KICK_CPU wakes a vCPU halted with the irqchip in the kernel. */
public class PvKickTest {
    private static TestKernel kernel() {
        TestKernel k = Kvms.kernel(intel());
        assertEquals(0, loadKvm(k));
        assertEquals(0, loadIntel(k));
        return k;
    }

    @Test
    public void theVmmsHintReachesTheGuestsCpuid() throws Exception {
        TestKernel k = kernel();
        try (Vm vm = Vm.create(k.syscalls(), "t", 2, Vm.DEFAULT_MEM, true)) {
            long[] r = new long[4];
            Vm.Cpu cpu = vm.cpu(1);
            cpu.cpuid(X86.KVM_CPUID_FEATURES, r);
            assertEquals("PV_UNHALT", 1L << X86.KVM_FEATURE_PV_UNHALT, r[0]);
            assertEquals("no hints", 0, r[3]);
            vm.setRealtimeHint(true); // after KVM_RUN: the hints word may change
            cpu.cpuid(X86.KVM_CPUID_FEATURES, r);
            assertEquals(1L << X86.KVM_HINTS_REALTIME, r[3]);
            assertTrue(k.dmesg().toString(), k.dmesg().stream().anyMatch(
                    l -> l.contains("KVM: KVM_SET_CPUID{,2} after KVM_RUN may cause guest instability")));
        }
    }

    @Test
    public void cpuidIsFrozenAfterKvmRunButForTheHints() throws Exception {
        TestKernel k = kernel();
        try (Vm vm = Vm.create(k.syscalls(), "t", 1, Vm.DEFAULT_MEM, false)) {
            KvmCpuid2 small = new KvmCpuid2(1);
            ErrnoException e = assertThrows(ErrnoException.class, () -> k.syscalls().ioctl(vm.vcpuFd(0), KvmIoctl.KVM_GET_CPUID2, small));
            assertEquals(Errno.E2BIG.value(), e.errno());
            KvmCpuid2 c = new KvmCpuid2(KvmCpuid2.KVM_MAX_CPUID_ENTRIES);
            k.syscalls().ioctl(vm.vcpuFd(0), KvmIoctl.KVM_GET_CPUID2, c);
            assertEquals(small.nent, c.nent);
            c.find(1).eax ^= 0x10; // before KVM_RUN anything goes
            k.syscalls().ioctl(vm.vcpuFd(0), KvmIoctl.KVM_SET_CPUID2, c);
            vm.run(Workload.CPUID, 1);
            c.find(1).eax ^= 0x10;
            e = assertThrows(ErrnoException.class, () -> k.syscalls().ioctl(vm.vcpuFd(0), KvmIoctl.KVM_SET_CPUID2, c));
            assertEquals(Errno.EINVAL.value(), e.errno());
            KvmCpuid2 tooMany = new KvmCpuid2(KvmCpuid2.KVM_MAX_CPUID_ENTRIES + 1);
            e = assertThrows(ErrnoException.class, () -> k.syscalls().ioctl(vm.vcpuFd(0), KvmIoctl.KVM_SET_CPUID2, tooMany));
            assertEquals(Errno.E2BIG.value(), e.errno());
        }
    }

    @Test
    public void aKickWakesTheHaltedVcpuAndAnEarlyKickIsNotLost() throws Exception {
        TestKernel k = kernel();
        try (Vm vm = Vm.create(k.syscalls(), "t", 2, Vm.DEFAULT_MEM, true)) {
            Vm.Cpu waiter = vm.cpu(1);
            CompletableFuture<Void> halted = CompletableFuture.runAsync(() -> {
                try {
                    waiter.halt();
                } catch (Vm.VmmException x) {
                    throw new RuntimeException(x);
                }
            });
            Thread.sleep(50);
            assertFalse("HLT with the irqchip in the kernel waits", halted.isDone());
            assertEquals(0, vm.cpu(0).hypercall(X86.KVM_HC_KICK_CPU, 0, 1));
            halted.get(5, TimeUnit.SECONDS);
            // kicked before it halts: pv_unhalted ends the next halt at once
            assertEquals(0, vm.cpu(0).hypercall(X86.KVM_HC_KICK_CPU, 0, 1));
            CompletableFuture.runAsync(() -> {
                try {
                    waiter.halt();
                } catch (Vm.VmmException x) {
                    throw new RuntimeException(x);
                }
            }).get(5, TimeUnit.SECONDS);
            long[] s = new long[KvmStat.COUNT];
            k.syscalls().ioctl(vm.vcpuFd(1), KvmIoctl.KVMOSGI_GET_STATS, s);
            assertEquals(2, s[KvmStat.HALT_WAKEUP]);
        }
    }

    @Test
    public void aSignalStillEndsTheHalt() throws Exception {
        TestKernel k = kernel();
        try (Vm vm = Vm.create(k.syscalls(), "t", 1, Vm.DEFAULT_MEM, true)) {
            Vm.Cpu cpu = vm.cpu(0);
            Thread self = Thread.currentThread();
            Thread signaller = new Thread(() -> {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
                self.interrupt();
            });
            signaller.start();
            Vm.VmmException e = assertThrows(Vm.VmmException.class, cpu::halt);
            assertTrue(Thread.interrupted());
            assertEquals(Errno.EINTR.value(), e.errno);
            signaller.join();
        }
    }
}
