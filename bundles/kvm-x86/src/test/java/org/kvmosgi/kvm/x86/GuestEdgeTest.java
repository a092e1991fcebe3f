package org.kvmosgi.kvm.x86;

import static org.junit.Assert.*;
import static org.kvmosgi.kvm.api.KvmIoctl.*;
import static org.kvmosgi.kvm.x86.Kvms.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import org.junit.Test;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.testkit.TestKernel;
import org.kvmosgi.kvm.api.KvmExitReason;
import org.kvmosgi.kvm.api.KvmRegs;
import org.kvmosgi.kvm.api.KvmRunLayout;
import org.kvmosgi.kvm.api.KvmStat;
import org.kvmosgi.kvm.api.KvmUserspaceMemoryRegion;
import org.kvmosgi.kvmtool.guest.GuestAsm;

/** Guest programs beyond the workloads, driven through the raw ioctls: MSRs, TPR, signals, immediate_exit. */
public class GuestEdgeTest {
    private final TestKernel k = Kvms.kernel(intel());
    private int vcpu;
    private ByteBuffer run;
    private final ByteBuffer ram = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);

    private void boot(Map<String, String> kvmParams, byte[] code) throws ErrnoException {
        assertEquals(0, k.load("kvm", new org.kvmosgi.kvm.x86.split.KvmModule(), kvmParams));
        assertEquals(0, loadIntel(k));
        int kvm = k.syscalls().open("/dev/kvm");
        int vm = (int) k.syscalls().ioctl(kvm, KVM_CREATE_VM, 0);
        k.syscalls().ioctl(vm, KVM_SET_USER_MEMORY_REGION, new KvmUserspaceMemoryRegion(0, 0, 0, ram.capacity(), ram));
        vcpu = (int) k.syscalls().ioctl(vm, KVM_CREATE_VCPU, 0);
        ByteBuffer[] map = new ByteBuffer[1];
        k.syscalls().ioctl(vcpu, KVMOSGI_MMAP_VCPU, map);
        run = map[0];
        ram.put(0x1000, code);
        KvmRegs regs = new KvmRegs();
        regs.rip = 0x1000;
        k.syscalls().ioctl(vcpu, KVM_SET_REGS, regs);
    }

    private int runOnce() throws ErrnoException {
        k.syscalls().ioctl(vcpu, KVM_RUN, 0);
        return run.getInt(KvmRunLayout.EXIT_REASON);
    }

    private long[] stats() throws ErrnoException {
        long[] s = new long[KvmStat.COUNT];
        k.syscalls().ioctl(vcpu, KVMOSGI_GET_STATS, s);
        return s;
    }

    @Test
    public void unknownMsrIsAGeneralProtectionFaultUnlessIgnored() throws Exception {
        byte[] code = new GuestAsm().movImm(GuestAsm.ECX, 0x1234).rdmsr().hlt().bytes();
        boot(kvmParams(), code);
        // #GP with no IDT to deliver it: the guest triple-faults
        assertEquals(KvmExitReason.KVM_EXIT_SHUTDOWN, runOnce());
    }

    @Test
    public void ignoredMsrReadsZeroAndIsReported() throws Exception {
        Map<String, String> p = kvmParams();
        p.put("ignore_msrs", "Y");
        byte[] code = new GuestAsm().movImm(GuestAsm.ECX, 0x1234).movImm(GuestAsm.EAX, 7).rdmsr().hlt().bytes();
        boot(p, code);
        assertEquals(KvmExitReason.KVM_EXIT_HLT, runOnce());
        KvmRegs regs = new KvmRegs();
        k.syscalls().ioctl(vcpu, KVM_GET_REGS, regs);
        assertEquals(0, regs.rax);
        assertEquals(1, k.dmesg().size());
        assertTrue(k.dmesg().get(0), k.dmesg().get(0).matches("kvm: kvm \\[\\d+\\]: vcpu0, guest rIP: 0x100a ignored rdmsr: 0x1234"));
    }

    @Test
    public void loweringTheTprExitsToUserSpace() throws Exception {
        byte[] code = new GuestAsm().movImm(GuestAsm.EAX, 5).movToCr8(GuestAsm.EAX)
                .movImm(GuestAsm.EAX, 2).movToCr8(GuestAsm.EAX).hlt().bytes();
        boot(kvmParams(), code);
        assertEquals(KvmExitReason.KVM_EXIT_SET_TPR, runOnce());
        assertEquals(2, run.getLong(KvmRunLayout.CR8));
        assertEquals(KvmExitReason.KVM_EXIT_HLT, runOnce());
    }

    @Test
    public void immediateExitReturnsEintrWithoutEntering() throws Exception {
        boot(kvmParams(), new GuestAsm().cpuid().hlt().bytes());
        run.put(KvmRunLayout.IMMEDIATE_EXIT, (byte) 1);
        try {
            k.syscalls().ioctl(vcpu, KVM_RUN, 0);
            fail("KVM_RUN with immediate_exit set");
        } catch (ErrnoException e) {
            assertEquals(Errno.EINTR.value(), e.errno());
        }
        assertEquals(KvmExitReason.KVM_EXIT_INTR, run.getInt(KvmRunLayout.EXIT_REASON));
        assertEquals(0, stats()[KvmStat.EXITS]);
        run.put(KvmRunLayout.IMMEDIATE_EXIT, (byte) 0);
        assertEquals(KvmExitReason.KVM_EXIT_HLT, runOnce());
    }

    @Test
    public void aSignalEndsAnEndlessGuest() throws Exception {
        GuestAsm a = new GuestAsm();
        int loop = a.here();
        boot(kvmParams(), a.nop().jmp(loop).bytes());
        Thread self = Thread.currentThread();
        Thread killer = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            self.interrupt();
        });
        killer.start();
        try {
            k.syscalls().ioctl(vcpu, KVM_RUN, 0);
            fail("an endless guest returned");
        } catch (ErrnoException e) {
            assertEquals(Errno.EINTR.value(), e.errno());
        } finally {
            Thread.interrupted();
        }
        assertEquals(KvmExitReason.KVM_EXIT_INTR, run.getInt(KvmRunLayout.EXIT_REASON));
        long[] s = stats();
        assertEquals(1, s[KvmStat.SIGNAL_EXITS]);
        assertTrue("host timer ticks end the guest's slices", s[KvmStat.IRQ_EXITS] > 0);
    }

    @Test
    public void virtualizationIsEnabledPerVmWhenNotAtLoad() throws Exception {
        Map<String, String> p = kvmParams();
        p.put("enable_virt_at_load", "N");
        boot(p, new GuestAsm().hlt().bytes());
        assertEquals(KvmExitReason.KVM_EXIT_HLT, runOnce());
    }
}
