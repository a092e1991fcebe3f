package org.kvmosgi.kvm.x86.core;

import static org.kvmosgi.kvm.api.KvmExitReason.*;
import static org.kvmosgi.kvm.api.KvmRunLayout.*;
import static org.kvmosgi.kvm.api.x86.X86.*;

import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;
import org.kvmosgi.kernel.api.Allocation;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.Printk;
import org.kvmosgi.kernel.api.host.Cpu;
import org.kvmosgi.kvm.api.KvmCap;
import org.kvmosgi.kvm.api.KvmIoctl;
import org.kvmosgi.kvm.api.KvmRegs;
import org.kvmosgi.kvm.api.KvmStat;
import org.kvmosgi.kvm.api.dispatch.Dispatch;
import org.kvmosgi.kvm.api.generic.KvmMemorySlot;
import org.kvmosgi.kvm.api.x86.KvmSymbols;
import org.kvmosgi.kvm.api.x86.KvmVcpu;
import org.kvmosgi.kvm.api.x86.KvmVm;
import org.kvmosgi.kvm.api.x86.KvmX86InitOps;
import org.kvmosgi.kvm.api.x86.KvmX86OpsView;
import org.kvmosgi.kvm.api.generic.KvmArch;
import org.kvmosgi.kvm.x86.insn.X86Insn;

/**
 * arch/x86/kvm/x86.c (with the bits of emulate.c the model needs): the vendor
 * registration, the run loop, and the emulation helpers exit handlers call back into.
 * Everything here that a vCPU thread runs per exit is lookup- and allocation-free.
 * It is itself the kvm_fast_pio export: a method reference there was one more frame on
 * the PIO exit path, whose kvm_run writes sit at the edge of C2's MaxInlineLevel.
 */
public final class X86Arch implements KvmArch<KvmVm, KvmVcpu>, KvmSymbols.FastPio {
    private static final int EEXIST = Errno.EEXIST.neg(), ENOMEM = Errno.ENOMEM.neg(), EINTR = Errno.EINTR.neg(),
            EFAULT = Errno.EFAULT.neg(), ENODEV = Errno.ENODEV.neg(), EINVAL = Errno.EINVAL.neg();
    /** Limit of pr_err_ratelimited: 10 messages per 5 s (DEFAULT_RATELIMIT_*). */
    private static final int RATELIMIT_BURST = 10;
    private static final long RATELIMIT_INTERVAL_NS = 5_000_000_000L;

    final KvmX86OpsTable ops = new KvmX86OpsTable();
    /** kvm_vcpu_cache: allocates the vendor's vCPU structure (set by kvm_init()). */
    private volatile KvmSymbols.VcpuFactory vcpuCache;
    /** kvm_main's halt_poll_ns, wherever kvm_main is linked. */
    private volatile java.util.function.LongSupplier haltPollNs = () -> 0;
    /** kvm_chardev_ops.owner: the vendor module that called kvm_init(). */
    private volatile String owner;
    /** vendor_module_lock. */
    private final ReentrantLock vendorModuleLock = new ReentrantLock();
    private ModuleContext ctx;
    private Printk log;
    private Allocation emulatorCache;
    private Allocation userReturnMsrs;
    private Allocation mmuPageHeaderCache;
    /** The CPUID leaves KVM_GET_SUPPORTED_CPUID would report: {leaf, eax, ebx, ecx, edx} rows. */
    private int[][] cpuid = new int[0][];
    private long ratelimitStart;
    private int ratelimitPrinted;
    private final long tgid = ProcessHandle.current().pid();

    /** module_init of kvm.ko (kvm_x86_init): module-wide state only. */
    public void moduleInit(ModuleContext ctx, Dispatch style) {
        this.ctx = ctx;
        this.log = ctx.log();
        ops.setStyle(style);
    }

    /** The installed ops as the symbol kvm_x86_ops shows them. */
    public KvmX86OpsView opsView() {
        return ops;
    }

    Printk log() {
        return log;
    }

    ModuleContext ctx() {
        return ctx;
    }

    /**
     * kvm_init() as the x86 vendors call it: the vendor's vCPU cache, then virt/kvm's
     * kvm_init(), wherever kvm_main is linked ({@code virtKvmInit}: the same module's,
     * or kvm.ko's in the library layout). virt/kvm calls back through the kvm_arch_*
     * hooks this class implements.
     */
    public int kvmInit(KvmSymbols.VcpuFactory cache, String module, java.util.function.ToIntFunction<String> virtKvmInit) {
        vcpuCache = cache;
        int r = virtKvmInit.applyAsInt(module);
        if (r != 0) {
            vcpuCache = null;
            return r;
        }
        owner = module;
        return 0;
    }

    /** kvm_exit(): virt/kvm's, wherever it is linked, then the vendor's cache is gone. */
    public void kvmExit(Runnable virtKvmExit) {
        virtKvmExit.run();
        vcpuCache = null;
        owner = null;
    }

    // ---------------------------------------------------------------- kvm_arch_* hooks of virt/kvm

    @Override
    public void linked(java.util.function.LongSupplier haltPollNs) {
        this.haltPollNs = haltPollNs;
    }

    @Override
    public int userMemSlots() {
        return KvmVm.KVM_USER_MEM_SLOTS;
    }

    @Override
    public int maxVcpus() {
        return KvmVm.KVM_MAX_VCPUS;
    }

    @Override
    public int pageSize() {
        return PAGE_SIZE;
    }

    @Override
    public int vcpuMmapSize() {
        return MMAP_SIZE;
    }

    @Override
    public boolean genericHardwareEnabling() {
        return true;
    }

    @Override
    public int enableVirtualizationCpu(int cpu) {
        return ops.enableVirtualizationCpu(cpu);
    }

    @Override
    public void disableVirtualizationCpu(int cpu) {
        ops.disableVirtualizationCpu(cpu);
    }

    /** kvm_vm_ioctl_check_extension() of x86.c. */
    @Override
    public long checkExtension(KvmVm kvm, int ext) {
        switch (ext) {
            case KvmCap.KVM_CAP_IRQCHIP:
            case KvmCap.KVM_CAP_HLT:
            case KvmCap.KVM_CAP_EXT_CPUID:
            case KvmCap.KVM_CAP_MP_STATE:
            case KvmCap.KVM_CAP_SYNC_MMU:
            case KvmCap.KVM_CAP_READONLY_MEM:
            case KvmCap.KVM_CAP_IMMEDIATE_EXIT:
                return 1;
            case KvmCap.KVM_CAP_NR_VCPUS:
                return Math.min(ctx.host().cpus().size(), KvmVm.KVM_MAX_VCPUS);
            case KvmCap.KVM_CAP_MAX_VCPUS:
                return KvmVm.KVM_MAX_VCPUS;
            case KvmCap.KVM_CAP_MAX_VCPU_ID:
                return maxVcpuIds();
            default:
                return 0;
        }
    }

    /** Only KVM_X86_DEFAULT_VM (0). */
    @Override
    public KvmVm allocVm(long type, IntSupplier nextId) {
        return type == 0 ? new KvmVm(nextId.getAsInt()) : null;
    }

    /** kvm_arch_init_vm(): the VM pins the vendor module (kvm_chardev_ops.owner), then vm_init. */
    @Override
    public int initVm(KvmVm kvm) {
        String module = owner;
        if (module == null || !ctx.kernel().tryModuleGet(module)) {
            return ENODEV;
        }
        int r = ops.vmInit(kvm);
        if (r != 0) {
            ctx.kernel().modulePut(module);
        }
        return r;
    }

    @Override
    public void destroyVm(KvmVm kvm) {
        ops.vmDestroy(kvm);
        ctx.kernel().modulePut(owner);
    }

    /** kvm_arch_vm_ioctl(): KVM_CREATE_IRQCHIP; the rest is -ENOTTY. */
    @Override
    public long vmIoctl(KvmVm kvm, int cmd, Object arg) {
        if (cmd == KvmIoctl.KVM_CREATE_IRQCHIP) {
            kvm.lock.lock();
            try {
                if (kvm.irqchipInKernel) {
                    return EEXIST;
                }
                if (kvm.onlineVcpus > 0) {
                    return EINVAL;
                }
                kvm.irqchipInKernel = true;
                return 0;
            } finally {
                kvm.lock.unlock();
            }
        }
        return Errno.ENOTTY.neg();
    }

    @Override
    public KvmVcpu allocVcpu(KvmVm kvm, int id) {
        return vcpuCache.create(kvm, id);
    }

    @Override
    public int vcpuCreate(KvmVcpu vcpu) {
        return ops.vcpuCreate(vcpu);
    }

    /** kvm_arch_vcpu_postcreate() with the reset kvm_arch_vcpu_create() ends with. */
    @Override
    public void vcpuPostcreate(KvmVcpu vcpu) {
        ops.vcpuReset(vcpu, false);
    }

    @Override
    public void vcpuDestroy(KvmVcpu vcpu) {
        ops.vcpuFree(vcpu);
    }

    @Override
    public int getRegs(KvmVcpu v, Object arg) {
        if (!(arg instanceof KvmRegs)) {
            return EFAULT;
        }
        KvmRegs r = (KvmRegs) arg;
        long[] g = v.regs;
        r.rax = g[VCPU_REGS_RAX]; r.rbx = g[VCPU_REGS_RBX]; r.rcx = g[VCPU_REGS_RCX]; r.rdx = g[VCPU_REGS_RDX];
        r.rsi = g[VCPU_REGS_RSI]; r.rdi = g[VCPU_REGS_RDI]; r.rsp = g[VCPU_REGS_RSP]; r.rbp = g[VCPU_REGS_RBP];
        r.r8 = g[8]; r.r9 = g[9]; r.r10 = g[10]; r.r11 = g[11]; r.r12 = g[12]; r.r13 = g[13]; r.r14 = g[14]; r.r15 = g[15];
        r.rip = v.rip;
        r.rflags = v.rflags;
        return 0;
    }

    @Override
    public int setRegs(KvmVcpu v, Object arg) {
        if (!(arg instanceof KvmRegs)) {
            return EFAULT;
        }
        KvmRegs r = (KvmRegs) arg;
        long[] g = v.regs;
        g[VCPU_REGS_RAX] = r.rax; g[VCPU_REGS_RBX] = r.rbx; g[VCPU_REGS_RCX] = r.rcx; g[VCPU_REGS_RDX] = r.rdx;
        g[VCPU_REGS_RSI] = r.rsi; g[VCPU_REGS_RDI] = r.rdi; g[VCPU_REGS_RSP] = r.rsp; g[VCPU_REGS_RBP] = r.rbp;
        g[8] = r.r8; g[9] = r.r9; g[10] = r.r10; g[11] = r.r11; g[12] = r.r12; g[13] = r.r13; g[14] = r.r14; g[15] = r.r15;
        v.rip = r.rip;
        v.rflags = r.rflags | 2; // bit 1 is always set
        return 0;
    }

    // ---------------------------------------------------------------- vendor modules

    /** kvm_x86_vendor_init(). */
    public int vendorInit(KvmX86InitOps init) {
        vendorModuleLock.lock();
        try {
            if (ops.installed()) {
                log.err("already loaded vendor module '%s'", ops.name());
                return EEXIST;
            }
            emulatorCache = ctx.kernel().kmalloc("x86_emulator", 4096);
            if (emulatorCache == null) {
                log.err("failed to allocate cache for x86 emulator");
                return ENOMEM;
            }
            int r;
            userReturnMsrs = ctx.kernel().kmalloc("kvm_user_return_msrs", 256L * ctx.host().cpus().size());
            if (userReturnMsrs == null) {
                log.err("failed to allocate percpu kvm_user_return_msrs");
                r = ENOMEM;
                emulatorCache = free(emulatorCache);
                return r;
            }
            r = ctx.step("kvm_mmu_vendor_module_init", this::mmuVendorModuleInit);
            if (r != 0) {
                userReturnMsrs = free(userReturnMsrs);
                emulatorCache = free(emulatorCache);
                return r;
            }
            r = init.hardwareSetup();
            if (r != 0) {
                unwindAllocations();
                return r;
            }
            ops.update(init.runtimeOps());
            for (Cpu cpu : ctx.host().cpus()) {
                r = ops.checkProcessorCompatibility(cpu.id());
                if (r < 0) {
                    ops.hardwareUnsetup();
                    ops.clear();
                    unwindAllocations();
                    return r;
                }
            }
            cpuid = supportedCpuid(ctx.host().cpuVendor());
            return 0;
        } finally {
            vendorModuleLock.unlock();
        }
    }

    /** kvm_x86_vendor_exit(): the reverse; the ops are cleared last, under the lock. */
    public void vendorExit() {
        ops.hardwareUnsetup();
        unwindAllocations();
        vendorModuleLock.lock();
        try {
            ops.clear();
        } finally {
            vendorModuleLock.unlock();
        }
    }

    /** kvm_mmu_vendor_module_init(): the MMU's page header cache. */
    private int mmuVendorModuleInit() {
        mmuPageHeaderCache = ctx.kernel().kmalloc("kvm_mmu_page_header", 4096);
        return mmuPageHeaderCache == null ? ENOMEM : 0;
    }

    private void unwindAllocations() {
        mmuPageHeaderCache = free(mmuPageHeaderCache);
        userReturnMsrs = free(userReturnMsrs);
        emulatorCache = free(emulatorCache);
    }

    private static Allocation free(Allocation a) {
        if (a != null) {
            a.free();
        }
        return null;
    }

    private static int[][] supportedCpuid(String vendor) {
        String k = "KVMKVMKVM\0\0\0";
        return new int[][] {
            // leaf 0: max basic leaf and the vendor string in ebx, edx, ecx
            {0, 1, asciiLe(vendor, 0), asciiLe(vendor, 8), asciiLe(vendor, 4)},
            // leaf 1: family 6; ECX.HYPERVISOR (bit 31); EDX: FPU, TSC, MSR, CX8, APIC, FXSR, SSE, SSE2
            {1, 0x000906ea, 0x00010800, 0x80000000, 0x078bfbff},
            {0x40000000, 0x40000001, asciiLe(k, 0), asciiLe(k, 4), asciiLe(k, 8)},
            // KVM_CPUID_FEATURES: of the pv features, the model has PV_UNHALT (KVM_HC_KICK_CPU); hints are the VMM's
            {KVM_CPUID_FEATURES, 1 << KVM_FEATURE_PV_UNHALT, 0, 0, 0},
        };
    }

    /**
     * Four characters of {@code s} from {@code from} as a CPUID register holds them: the
     * first in the low byte, a space past the end (as the vendor string is padded).
     */
    private static int asciiLe(String s, int from) {
        int r = 0;
        for (int i = 3; i >= 0; i--) {
            int at = from + i;
            r = r << 8 | (at < s.length() ? s.charAt(at) & 0xff : ' ');
        }
        return r;
    }

    // ---------------------------------------------------------------- the run loop

    /** kvm_arch_vcpu_ioctl_run(); the caller holds vcpu->mutex. 0 or -errno. */
    @Override
    public int vcpuIoctlRun(KvmVcpu v) {
        ByteBuffer run = v.run;
        run.putShort(FLAGS, (short) 0);
        int r;
        if (run.get(IMMEDIATE_EXIT) != 0) {
            v.setExitReason(KVM_EXIT_INTR);
            r = EINTR;
        } else {
            r = 1;
            if (v.completeUserspaceIo != KvmVcpu.CUIO_NONE) {
                r = completeUserspaceIo(v);
            }
            if (r > 0) {
                r = vcpuRun(v);
            }
        }
        // post_kvm_run_save()
        run.putLong(CR8, v.cr8);
        run.put(IF_FLAG, (byte) ((v.rflags >>> 9) & 1));
        return r > 0 ? 0 : r;
    }

    private int vcpuRun(KvmVcpu v) {
        v.setExitReason(KVM_EXIT_UNKNOWN);
        Thread self = Thread.currentThread();
        for (;;) {
            int r = v.mpState == KVM_MP_STATE_RUNNABLE ? vcpuEnterGuest(v) : vcpuBlock(v);
            if (r <= 0) {
                return r;
            }
            // a pending signal (the model's: the thread's interrupt) ends KVM_RUN
            if (self.isInterrupted()) {
                v.setExitReason(KVM_EXIT_INTR);
                v.stat[KvmStat.SIGNAL_EXITS]++;
                return EINTR;
            }
        }
    }

    /**
     * vcpu_enter_guest(): pending events are injected first; one that cannot be injected
     * yet asks the vendor for an exit right after entry (req_immediate_exit, passed as
     * vcpu_run's force_immediate_exit since 6.9), so that KVM gets back here to inject it.
     */
    private int vcpuEnterGuest(KvmVcpu v) {
        if (!v.hasRun) {
            v.hasRun = true; // last_vmentry_cpu
        }
        boolean reqImmediateExit = (v.nmiQueued | v.nmiPending) != 0 && checkAndInjectEvents(v);
        int fastpath = ops.vcpuRun(v, reqImmediateExit);
        v.nmiBlocked = false; // the model's guests have no NMI handler: the NMI ends with the exit
        v.stat[KvmStat.EXITS]++;
        return ops.handleExit(v, fastpath);
    }

    /**
     * vcpu_block() for a halted vCPU (in-kernel irqchip): polls for halt_poll_ns, then
     * sleeps until an event. The model's only wake-up event is a pv kick
     * (KVM_HC_KICK_CPU sets pv_unhalted, which also ends a halt that starts after it);
     * a signal ends KVM_RUN instead.
     */
    private int vcpuBlock(KvmVcpu v) {
        long poll = haltPollNs.getAsLong();
        long start = System.nanoTime();
        Thread self = Thread.currentThread();
        while (!v.pvUnhalted && !self.isInterrupted() && System.nanoTime() - start < poll) {
            Thread.onSpinWait();
        }
        synchronized (v.haltWait) {
            while (!v.pvUnhalted && !self.isInterrupted()) {
                try {
                    v.haltWait.wait();
                } catch (InterruptedException e) {
                    self.interrupt(); // the pending signal stays pending
                }
            }
        }
        v.stat[KvmStat.HALT_WAKEUP]++;
        if (v.pvUnhalted) {
            v.pvUnhalted = false;
            v.mpState = KVM_MP_STATE_RUNNABLE;
            return 1;
        }
        v.setExitReason(KVM_EXIT_INTR);
        v.stat[KvmStat.SIGNAL_EXITS]++;
        return EINTR;
    }

    /** kvm_pv_kick_cpu_op(): the REMRD delivery to the vCPU with APIC ID {@code apicid} (its vcpu_id). */
    private static void pvKickCpu(KvmVm kvm, long apicid) {
        if (!kvm.irqchipInKernel || apicid < 0 || apicid >= kvm.vcpus.length) {
            return; // no local APIC to deliver to
        }
        KvmVcpu target = kvm.vcpus[(int) apicid];
        if (target == null) {
            return;
        }
        synchronized (target.haltWait) {
            target.pvUnhalted = true;
            target.haltWait.notifyAll(); // kvm_vcpu_kick()
        }
    }

    // ---------------------------------------------------------------- arch ioctls

    /** kvm_arch_dev_ioctl(). */
    @Override
    public long devIoctl(int cmd, Object arg) {
        if (cmd == org.kvmosgi.kvm.api.KvmIoctl.KVM_GET_SUPPORTED_CPUID) {
            return Cpuid.getSupported(cpuid, arg);
        } else if (cmd == KvmIoctl.KVMOSGI_GET_DISPATCH) {
            return dispatchTable(arg);
        }
        return EINVAL;
    }

    /** KVMOSGI_GET_DISPATCH: the style, then each call site and where it points. */
    @SuppressWarnings("unchecked")
    private long dispatchTable(Object arg) {
        if (!(arg instanceof java.util.List)) {
            return EFAULT;
        }
        java.util.List<String> out = (java.util.List<String>) arg;
        out.add("dispatch: " + ops.dispatch() + (ops.name() == null ? "" : " (vendor " + ops.name() + ")"));
        out.addAll(ops.sites());
        return 0;
    }

    /**
     * process_nmi() and the NMI part of kvm_check_and_inject_events(): at most two NMIs
     * pend (one while another is in progress); one is injected when NMIs are not
     * blocked. True when an NMI is still pending that cannot be injected yet.
     */
    private static boolean checkAndInjectEvents(KvmVcpu v) {
        int limit = v.nmiBlocked ? 1 : 2;
        v.nmiPending = Math.min(v.nmiPending + v.nmiQueued, limit);
        v.nmiQueued = 0;
        if (v.nmiPending > 0 && !v.nmiBlocked) {
            v.nmiPending--;
            v.nmiBlocked = true;
            v.stat[KvmStat.NMI_INJECTIONS]++;
        }
        return v.nmiPending > 0;
    }

    /** kvm_arch_vcpu_ioctl(); the caller holds vcpu->mutex. */
    @Override
    public long vcpuIoctl(KvmVcpu v, int cmd, Object arg) {
        if (cmd == KvmIoctl.KVM_NMI) { // kvm_vcpu_ioctl_nmi(): queued, processed at the next entry
            v.nmiQueued++;
            return 0;
        }
        if (cmd == org.kvmosgi.kvm.api.KvmIoctl.KVM_SET_CPUID2) {
            return Cpuid.set(v, arg, log, this::ratelimitOk);
        } else if (cmd == org.kvmosgi.kvm.api.KvmIoctl.KVM_GET_CPUID2) {
            return Cpuid.get(v, arg);
        } else if (cmd == org.kvmosgi.kvm.api.KvmIoctl.KVM_GET_MP_STATE) {
            if (!(arg instanceof org.kvmosgi.kvm.api.KvmMpState)) {
                return EFAULT;
            }
            ((org.kvmosgi.kvm.api.KvmMpState) arg).mpState = v.mpState;
            return 0;
        } else if (cmd == org.kvmosgi.kvm.api.KvmIoctl.KVM_SET_MP_STATE) {
            return setMpState(v, arg);
        }
        return EINVAL;
    }

    /**
     * kvm_arch_vcpu_ioctl_set_mpstate() for the states the model has: RUNNABLE, and
     * HALTED with the LAPIC in the kernel (without it, only RUNNABLE is valid).
     */
    private static long setMpState(KvmVcpu v, Object arg) {
        if (!(arg instanceof org.kvmosgi.kvm.api.KvmMpState)) {
            return EFAULT;
        }
        int state = ((org.kvmosgi.kvm.api.KvmMpState) arg).mpState;
        if (state != KVM_MP_STATE_RUNNABLE && (state != KVM_MP_STATE_HALTED || !v.kvm.irqchipInKernel)) {
            return EINVAL;
        }
        v.mpState = state;
        return 0;
    }

    /** The callbacks of vcpu->arch.complete_userspace_io, run by the next KVM_RUN. */
    private int completeUserspaceIo(KvmVcpu v) {
        int what = v.completeUserspaceIo;
        v.completeUserspaceIo = KvmVcpu.CUIO_NONE;
        if ((what == KvmVcpu.CUIO_PIO_IN || what == KvmVcpu.CUIO_PIO_OUT) && v.rip != v.pendingRip) {
            return 1; // RIP moved under the completion: drop it, as kvm_is_linear_rip() fails
        }
        switch (what) {
            case KvmVcpu.CUIO_PIO_IN: { // complete_fast_pio_in
                long val = v.run.getInt(KVM_PIO_PAGE_OFFSET * PAGE_SIZE) & mask(v.pendingSize);
                v.regs[VCPU_REGS_RAX] = v.pendingSize == 4 ? val : (v.regs[VCPU_REGS_RAX] & ~mask(v.pendingSize)) | val;
                return skipEmulatedInstruction(v);
            }
            case KvmVcpu.CUIO_PIO_OUT: // complete_fast_pio_out
                return skipEmulatedInstruction(v);
            case KvmVcpu.CUIO_MMIO_READ: // complete_emulated_mmio, then the emulator's writeback
                v.regs[v.pendingReg] = v.run.getInt(MMIO_DATA) & mask(v.pendingSize);
                v.rip += v.pendingInsnLen;
                return 1;
            case KvmVcpu.CUIO_MMIO_WRITE:
                v.rip += v.pendingInsnLen;
                return 1;
            default:
                return 1;
        }
    }

    private static long mask(int size) {
        return size >= 8 ? -1L : (1L << (size * 8)) - 1;
    }


    // ---------------------------------------------------------------- exports for the vendors

    public int skipEmulatedInstruction(KvmVcpu v) {
        return ops.skipEmulatedInstruction(v);
    }

    /** kvm_emulate_cpuid(). */
    public int emulateCpuid(KvmVcpu v) {
        int leaf = (int) v.regs[VCPU_REGS_RAX];
        long[] r = v.regs;
        r[VCPU_REGS_RAX] = r[VCPU_REGS_RBX] = r[VCPU_REGS_RCX] = r[VCPU_REGS_RDX] = 0;
        int[][] own = v.cpuidEntries;
        int[][] table = own != null ? own : cpuid; // model: a vCPU without KVM_SET_CPUID2 sees the supported table
        for (int i = 0; i < table.length; i++) {
            int[] e = table[i];
            if (e[0] == leaf) {
                r[VCPU_REGS_RAX] = e[1] & 0xffffffffL;
                r[VCPU_REGS_RBX] = e[2] & 0xffffffffL;
                r[VCPU_REGS_RCX] = e[3] & 0xffffffffL;
                r[VCPU_REGS_RDX] = e[4] & 0xffffffffL;
                break;
            }
        }
        return skipEmulatedInstruction(v);
    }

    /** kvm_emulate_halt(): with the LAPIC in user space, HLT goes to user space. */
    public int emulateHalt(KvmVcpu v) {
        int ret = skipEmulatedInstruction(v);
        v.stat[KvmStat.HALT_EXITS]++;
        if (v.kvm.irqchipInKernel) {
            v.mpState = KVM_MP_STATE_HALTED;
            return ret;
        }
        v.setExitReason(KVM_EXIT_HLT);
        return 0;
    }

    /** kvm_emulate_hypercall(): nr in RAX, result in RAX. */
    public int emulateHypercall(KvmVcpu v) {
        long nr = v.regs[VCPU_REGS_RAX] & 0xffffffffL;
        long ret = -KVM_ENOSYS;
        if (nr == KVM_HC_VAPIC_POLL_IRQ) {
            ret = 0;
        } else if (nr == KVM_HC_KICK_CPU) {
            pvKickCpu(v.kvm, v.regs[VCPU_REGS_RCX]); // a0 = flags (RBX), a1 = apicid (RCX)
            ret = 0;
        }
        v.regs[VCPU_REGS_RAX] = ret;
        v.stat[KvmStat.HYPERCALLS]++;
        return skipEmulatedInstruction(v);
    }

    /** kvm_emulate_rdmsr(). */
    public int emulateRdmsr(KvmVcpu v) {
        int msr = (int) v.regs[VCPU_REGS_RCX];
        int err = getMsr(v, msr);
        if (err == 0) {
            long data = v.msrData[0];
            v.regs[VCPU_REGS_RAX] = data & 0xffffffffL;
            v.regs[VCPU_REGS_RDX] = data >>> 32;
        }
        return completeInsnGp(v, err);
    }

    /** kvm_emulate_wrmsr(). */
    public int emulateWrmsr(KvmVcpu v) {
        int msr = (int) v.regs[VCPU_REGS_RCX];
        long data = (v.regs[VCPU_REGS_RAX] & 0xffffffffL) | (v.regs[VCPU_REGS_RDX] << 32);
        return completeInsnGp(v, setMsr(v, msr, data));
    }

    /** kvm_get_msr_common() then the vendor; unknown MSRs follow ignore_msrs. */
    private int getMsr(KvmVcpu v, int msr) {
        long[] out = v.msrData;
        switch (msr) {
            case MSR_IA32_TSC_ADJUST: out[0] = v.tscAdjust; return 0;
            case MSR_IA32_TSC: out[0] = System.nanoTime() + v.tscAdjust; return 0;
            case MSR_EFER: out[0] = v.efer; return 0;
            case MSR_IA32_APICBASE: out[0] = 0xfee00900L; return 0;
            case MSR_IA32_CR_PAT: out[0] = 0x0007040600070406L; return 0;
            default:
                if (ops.getMsr(v, msr, out) == 0) {
                    return 0;
                }
                out[0] = 0;
                return msrIgnored(v, msr, 0, false) ? 0 : 1;
        }
    }

    private int setMsr(KvmVcpu v, int msr, long data) {
        switch (msr) {
            case MSR_IA32_TSC_ADJUST: v.tscAdjust = data; return 0;
            case MSR_EFER: v.efer = data; return 0;
            case MSR_IA32_APICBASE:
            case MSR_IA32_CR_PAT:
                return 0;
            default:
                if (ops.setMsr(v, msr, data) == 0) {
                    return 0;
                }
                return msrIgnored(v, msr, data, true) ? 0 : 1;
        }
    }

    /** kvm_msr_ignored_check(): the rare path, so printing may allocate. */
    private boolean msrIgnored(KvmVcpu v, int msr, long data, boolean write) {
        if (!ctx.params().bool("ignore_msrs")) {
            return false;
        }
        if (ctx.params().bool("report_ignored_msrs") && ratelimitOk()) {
            if (write) {
                log.err("kvm [%d]: vcpu%d, guest rIP: 0x%x ignored wrmsr: 0x%x data 0x%x", tgid, v.vcpuId, v.rip, msr, data);
            } else {
                log.err("kvm [%d]: vcpu%d, guest rIP: 0x%x ignored rdmsr: 0x%x", tgid, v.vcpuId, v.rip, msr);
            }
        }
        return true;
    }

    private synchronized boolean ratelimitOk() {
        long now = System.nanoTime();
        if (now - ratelimitStart > RATELIMIT_INTERVAL_NS) {
            ratelimitStart = now;
            ratelimitPrinted = 0;
        }
        return ratelimitPrinted++ < RATELIMIT_BURST;
    }

    /** kvm_complete_insn_gp(): #GP on error, else skip the instruction. */
    public int completeInsnGp(KvmVcpu v, int err) {
        if (err != 0) {
            queueException(v, GP_VECTOR);
            return 1;
        }
        return skipEmulatedInstruction(v);
    }

    public void queueException(KvmVcpu v, int vector) {
        v.exceptionVector = vector;
    }

    public long getCr8(KvmVcpu v) {
        return v.cr8;
    }

    /** kvm_set_cr8(): reserved bits set is a #GP (1). */
    public int setCr8(KvmVcpu v, long cr8) {
        if ((cr8 & ~0xfL) != 0) {
            return 1;
        }
        v.cr8 = cr8;
        return 0;
    }

    /** kvm_fast_pio(): in-kernel devices first, else an exit to user space completed by the next KVM_RUN. */
    @Override
    public int fastPio(KvmVcpu v, int size, int port, boolean in) {
        if (kernelPio(v, size, port, in)) {
            return skipEmulatedInstruction(v);
        }
        ByteBuffer run = v.run;
        run.putInt(EXIT_REASON, KVM_EXIT_IO);
        run.put(IO_DIRECTION, (byte) (in ? KVM_EXIT_IO_IN : KVM_EXIT_IO_OUT));
        run.put(IO_SIZE, (byte) size);
        run.putShort(IO_PORT, (short) port);
        run.putInt(IO_COUNT, 1);
        run.putLong(IO_DATA_OFFSET, KVM_PIO_PAGE_OFFSET * PAGE_SIZE);
        if (!in) {
            run.putInt(KVM_PIO_PAGE_OFFSET * PAGE_SIZE, (int) v.regs[VCPU_REGS_RAX]);
        }
        v.pendingSize = size;
        v.pendingRip = v.rip;
        v.completeUserspaceIo = in ? KvmVcpu.CUIO_PIO_IN : KvmVcpu.CUIO_PIO_OUT;
        return 0;
    }

    /**
     * kernel_pio() on the VM's PIO bus: with the irqchip in the kernel, the PIC's IMR
     * (0x21, 0xa1) and ELCR (0x4d0, 0x4d1) are served here.
     */
    private static boolean kernelPio(KvmVcpu v, int size, int port, boolean in) {
        if (!v.kvm.irqchipInKernel) {
            return false;
        }
        int reg;
        switch (port) {
            case 0x21: reg = 0; break;
            case 0xa1: reg = 1; break;
            case 0x4d0: reg = 2; break;
            case 0x4d1: reg = 3; break;
            default: return false;
        }
        byte[] vpic = v.kvm.vpic;
        if (in) {
            long val = 0;
            for (int i = 0; i < size; i++) {
                val |= (long) (reg + i < vpic.length ? vpic[reg + i] & 0xff : 0xff) << (8 * i);
            }
            v.regs[VCPU_REGS_RAX] = size == 4 ? val : (v.regs[VCPU_REGS_RAX] & ~mask(size)) | val;
        } else {
            vpic[reg] = (byte) v.regs[VCPU_REGS_RAX];
        }
        return true;
    }

    /**
     * kvm_mmu_page_fault(): in the model every fault that reaches KVM is on a GPA without
     * a memslot (an MMIO SPTE with EPT/NPT, a shadow #PF without): emulate the access.
     */
    public int mmuPageFault(KvmVcpu v, long gpa, long errorCode) {
        return emulateMmio(v, gpa);
    }

    /** The emulator's MMIO path (x86_emulate_instruction → emulator_read_write → user space). */
    private int emulateMmio(KvmVcpu v, long gpa) {
        long d = fetchDecode(v);
        int kind = X86Insn.kind(d);
        v.stat[KvmStat.INSN_EMULATION]++;
        if (kind != X86Insn.MOV_STORE && kind != X86Insn.MOV_LOAD) {
            return emulationFailure(v);
        }
        boolean write = kind == X86Insn.MOV_STORE;
        ByteBuffer run = v.run;
        run.putInt(EXIT_REASON, KVM_EXIT_MMIO);
        run.putLong(MMIO_PHYS_ADDR, gpa);
        run.putLong(MMIO_DATA, write ? v.regs[X86Insn.reg(d)] & 0xffffffffL : 0);
        run.putInt(MMIO_LEN, 4);
        run.put(MMIO_IS_WRITE, (byte) (write ? 1 : 0));
        v.stat[KvmStat.MMIO_EXITS]++;
        v.pendingSize = 4;
        v.pendingReg = X86Insn.reg(d);
        v.pendingInsnLen = X86Insn.length(d);
        v.completeUserspaceIo = write ? KvmVcpu.CUIO_MMIO_WRITE : KvmVcpu.CUIO_MMIO_READ;
        return 0;
    }

    /** handle_emulation_failure(): KVM_EXIT_INTERNAL_ERROR / KVM_INTERNAL_ERROR_EMULATION. */
    private int emulationFailure(KvmVcpu v) {
        v.stat[KvmStat.INSN_EMULATION_FAIL]++;
        ByteBuffer run = v.run;
        run.putInt(EXIT_REASON, KVM_EXIT_INTERNAL_ERROR);
        run.putInt(INTERNAL_SUBERROR, KVM_INTERNAL_ERROR_EMULATION);
        run.putInt(INTERNAL_NDATA, 0);
        return 0;
    }

    /** The instruction at RIP, decoded; INVALID when RIP is not in guest RAM. */
    private static long fetchDecode(KvmVcpu v) {
        KvmMemorySlot slot = v.kvm.findSlot(v.rip, 1);
        if (slot == null) {
            return X86Insn.INVALID;
        }
        int off = (int) (v.rip - slot.base);
        return X86Insn.decode(slot.memory, off, (int) Math.min(X86Insn.MAX_LEN, slot.size - off));
    }

    /**
     * kvm_emulate_instruction() for the types vendors use: EMULTYPE_SKIP (advance RIP
     * past the instruction, for SVM without NRIPS) and EMULTYPE_TRAP_UD (#UD: the other
     * vendor's hypercall instruction is patched to ours, as kvm_fix_hypercall() does;
     * anything else gets its #UD).
     */
    public int emulateInstruction(KvmVcpu v, int emulationType) {
        long d = fetchDecode(v);
        int kind = X86Insn.kind(d);
        if ((emulationType & KvmSymbols.EMULTYPE_SKIP) != 0) {
            if (kind == X86Insn.INVALID) {
                return 0;
            }
            v.rip += X86Insn.length(d);
            return 1;
        }
        v.stat[KvmStat.INSN_EMULATION]++;
        if ((emulationType & KvmSymbols.EMULTYPE_TRAP_UD) != 0 && (kind == X86Insn.VMCALL || kind == X86Insn.VMMCALL)) {
            KvmMemorySlot slot = v.kvm.findSlot(v.rip, 3);
            if (slot != null && !slot.readonly()) {
                byte[] insn = new byte[3]; // once per guest call site: the patch makes it the last #UD
                ops.patchHypercall(v, insn);
                int off = (int) (v.rip - slot.base);
                for (int i = 0; i < 3; i++) {
                    slot.memory.put(off + i, insn[i]);
                }
                return 1; // re-execute the patched instruction
            }
        }
        queueException(v, UD_VECTOR);
        return 1;
    }
}
