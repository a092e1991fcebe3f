package org.kvmosgi.kvm.ppc;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.kvmosgi.kvm.api.KvmIoctl.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.Test;
import org.kvmosgi.kernel.testkit.TestKernel;
import org.kvmosgi.kvm.api.dispatch.Dispatch;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kvm.api.KvmExitReason;
import org.kvmosgi.kvm.api.KvmRunLayout;
import org.kvmosgi.kvm.api.KvmStat;
import org.kvmosgi.kvm.api.KvmUserspaceMemoryRegion;
import org.kvmosgi.kvm.api.KvmEnableCap;
import org.kvmosgi.kvm.api.ppc.KvmPpcRegs;
import org.kvmosgi.kvm.ppc.api.PpcKvm;
import org.kvmosgi.kvmtool.guest.PowerAsm;

/** Guests that exit with hypercalls and MMIO, run the way a VMM runs them, under HV and PR. */
public class GuestWorkloadTest {
    static final long MMIO = 0x1000_0000L;

    /** "Hi" through H_PUT_TERM_CHAR, a store and a load to a device, then H_RTAS as power-off. */
    static byte[] program() {
        PowerAsm a = new PowerAsm()
                .li(3, (int) PpcKvm.H_PUT_TERM_CHAR).li(4, 0).li(5, 'H').sc(1)
                .li(3, (int) PpcKvm.H_PUT_TERM_CHAR).li(4, 0).li(5, 'i').sc(1)
                .lis(9, (int) (MMIO >>> 16)).li(10, 0x1234).stw(10, 0, 9)
                .lwz(11, 4, 9)
                .li(12, 3).mtctr(12).li(13, 0);
        int loop = a.here();
        return a.addi(13, 13, 1).bdnz(loop)
                .load32(3, PpcKvm.H_RTAS).mr(4, 11).mr(5, 13).sc(1)
                .bytes();
    }

    record Vm(TestKernel k, int vm, int vcpu, ByteBuffer run) {}

    static Vm boot(CoreTest.Split s, long type, byte[] code) {
        int fd = s.k.open("kvm");
        int vm = (int) s.k.ioctl(fd, KVM_CREATE_VM, type);
        assertTrue("create VM: " + vm, vm > 0);
        ByteBuffer ram = ByteBuffer.allocate(PpcKvm.PAGE_SIZE);
        ram.put(code);
        assertEquals(0, s.k.ioctl(vm, KVM_SET_USER_MEMORY_REGION,
                new KvmUserspaceMemoryRegion(0, 0, 0, PpcKvm.PAGE_SIZE, ram)));
        int vcpu = (int) s.k.ioctl(vm, KVM_CREATE_VCPU, 0);
        assertTrue(vcpu > 0);
        ByteBuffer[] map = new ByteBuffer[1];
        assertEquals(0, s.k.ioctl(vcpu, KVMOSGI_MMAP_VCPU, map));
        return new Vm(s.k, vm, vcpu, map[0]);
    }

    static int exit(Vm v) {
        long r = v.k.ioctl(v.vcpu, KVM_RUN, 0);
        assertEquals(0, r);
        return v.run.getInt(KvmRunLayout.EXIT_REASON);
    }

    /** The workload on a new VM of {@code type}; a PR guest is made a PAPR guest first. */
    static void runsTheWorkload(CoreTest.Split s, long type) {
        Vm v = boot(s, type, program());
        if (type == PpcKvm.KVM_VM_PPC_PR) {
            assertEquals(0, s.k.ioctl(v.vcpu(), KVM_ENABLE_CAP, new KvmEnableCap(PpcKvm.KVM_CAP_PPC_PAPR)));
        }
        StringBuilder console = new StringBuilder();
        for (int i = 0; i < 2; i++) {
            assertEquals(PpcKvm.KVM_EXIT_PAPR_HCALL, exit(v));
            assertEquals(PpcKvm.H_PUT_TERM_CHAR, v.run.getLong(PpcKvm.PAPR_HCALL_NR));
            console.append((char) v.run.getLong(PpcKvm.PAPR_HCALL_ARGS + 8));
            v.run.putLong(PpcKvm.PAPR_HCALL_RET, PpcKvm.H_SUCCESS);
        }
        assertEquals("Hi", console.toString());
        assertEquals(KvmExitReason.KVM_EXIT_MMIO, exit(v));
        assertEquals(MMIO, v.run.getLong(KvmRunLayout.MMIO_PHYS_ADDR));
        assertEquals(4, v.run.getInt(KvmRunLayout.MMIO_LEN));
        assertEquals(1, v.run.get(KvmRunLayout.MMIO_IS_WRITE));
        assertEquals(0x1234, v.run.getInt(KvmRunLayout.MMIO_DATA));
        assertEquals(KvmExitReason.KVM_EXIT_MMIO, exit(v));
        assertEquals(MMIO + 4, v.run.getLong(KvmRunLayout.MMIO_PHYS_ADDR));
        assertEquals(0, v.run.get(KvmRunLayout.MMIO_IS_WRITE));
        v.run.putInt(KvmRunLayout.MMIO_DATA, 0xCAFE);
        assertEquals(PpcKvm.KVM_EXIT_PAPR_HCALL, exit(v));
        assertEquals(PpcKvm.H_RTAS, v.run.getLong(PpcKvm.PAPR_HCALL_NR));
        assertEquals("the MMIO load completed into r11", 0xCAFE, v.run.getLong(PpcKvm.PAPR_HCALL_ARGS));
        assertEquals("the bdnz loop ran 3 times", 3, v.run.getLong(PpcKvm.PAPR_HCALL_ARGS + 8));
        KvmPpcRegs regs = new KvmPpcRegs();
        assertEquals(0, v.k.ioctl(v.vcpu, KVM_GET_REGS, regs));
        assertEquals(0xCAFE, regs.gpr[11]);
        long[] stats = new long[KvmStat.COUNT];
        assertEquals(0, v.k.ioctl(v.vm, KVMOSGI_GET_STATS, stats));
        assertEquals(3, stats[KvmStat.HYPERCALLS]);
        assertEquals(2, stats[KvmStat.MMIO_EXITS]);
        assertEquals(5, stats[KvmStat.EXITS]);
        assertEquals("kvm->arch.kvm_ops->vcpu_run() once per KVM_RUN, only through the pointer",
                s.core.calls().style() == Dispatch.OPS ? 5 : 0, stats[KvmStat.INDIRECT_CALLS]);
    }

    @Test
    public void hvGuest() {
        CoreTest.Split s = new CoreTest.Split("power9");
        assertEquals(0, s.loadHv());
        runsTheWorkload(s, PpcKvm.KVM_VM_PPC_HV);
    }

    /** Under PR, sc 1 is an hcall only once user space made the guest a PAPR guest. */
    @Test
    public void prGuestNeedsPapr() {
        CoreTest.Split s = new CoreTest.Split("power8");
        assertEquals(0, s.loadPr());
        Vm plain = boot(s, PpcKvm.KVM_VM_PPC_PR, program());
        assertEquals("sc 1 went to the guest's 0xc00 vector, which spins", Errno.EINTR.neg(),
                plain.k().ioctl(plain.vcpu(), KVM_RUN, 0));
        assertEquals(KvmExitReason.KVM_EXIT_INTR, plain.run().getInt(KvmRunLayout.EXIT_REASON));

        CoreTest.Split s2 = new CoreTest.Split("power8");
        assertEquals(0, s2.loadPr());
        Vm papr = boot(s2, PpcKvm.KVM_VM_PPC_PR, program());
        assertEquals(0, s2.k.ioctl(papr.vcpu(), org.kvmosgi.kvm.api.KvmIoctl.KVM_ENABLE_CAP, new KvmEnableCap(PpcKvm.KVM_CAP_PPC_PAPR)));
        runsTheWorkloadOn(papr);
    }

    private void runsTheWorkloadOn(Vm v) {
        assertEquals(PpcKvm.KVM_EXIT_PAPR_HCALL, exit(v));
        assertEquals('H', v.run.getLong(PpcKvm.PAPR_HCALL_ARGS + 8));
    }

    @Test
    public void immediateExitAndIllegalInstructions() {
        CoreTest.Split s = new CoreTest.Split("power9");
        assertEquals(0, s.loadHv());
        Vm v = boot(s, 0, new PowerAsm().word(0).bytes());
        v.run.put(KvmRunLayout.IMMEDIATE_EXIT, (byte) 1);
        assertEquals(Errno.EINTR.neg(), v.k.ioctl(v.vcpu, KVM_RUN, 0));
        v.run.put(KvmRunLayout.IMMEDIATE_EXIT, (byte) 0);
        assertEquals("program interrupts stay in the guest", Errno.EINTR.neg(), v.k.ioctl(v.vcpu, KVM_RUN, 0));
        KvmPpcRegs regs = new KvmPpcRegs();
        assertEquals(0, v.k.ioctl(v.vcpu, KVM_GET_REGS, regs));
        assertEquals("spinning on the program vector", 0x700, regs.pc);
        assertEquals(0x700, regs.srr0);
    }

    @Test
    public void memoryRegionsFollowTheRules() {
        CoreTest.Split s = new CoreTest.Split("power9");
        assertEquals(0, s.loadHv());
        int fd = s.k.open("kvm");
        int vm = (int) s.k.ioctl(fd, KVM_CREATE_VM, 0);
        ByteBuffer ram = ByteBuffer.allocate(2 * PpcKvm.PAGE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("4K is not a ppc64 page", Errno.EINVAL.neg(), s.k.ioctl(vm, KVM_SET_USER_MEMORY_REGION,
                new KvmUserspaceMemoryRegion(0, 0, 0, 4096, ram)));
        assertEquals(0, s.k.ioctl(vm, KVM_SET_USER_MEMORY_REGION,
                new KvmUserspaceMemoryRegion(0, 0, 0, PpcKvm.PAGE_SIZE, ram)));
        assertEquals(Errno.EEXIST.neg(), s.k.ioctl(vm, KVM_SET_USER_MEMORY_REGION,
                new KvmUserspaceMemoryRegion(1, 0, 0, PpcKvm.PAGE_SIZE, ram)));
        assertEquals(Errno.EFAULT.neg(), s.k.ioctl(vm, KVM_SET_USER_MEMORY_REGION, "nope"));
    }
}
