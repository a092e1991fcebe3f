package org.kvmosgi.kvm.x86.core;

import static org.kvmosgi.kvm.api.KvmIoctl.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.kvmosgi.kernel.api.Allocation;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.dev.FileOperations;
import org.kvmosgi.kernel.api.dev.MiscDevice;
import org.kvmosgi.kernel.api.dev.OpenFile;
import org.kvmosgi.kernel.api.host.Cpu;
import org.kvmosgi.kvm.api.KvmCap;
import org.kvmosgi.kvm.api.KvmRegs;
import org.kvmosgi.kvm.api.KvmRunLayout;
import org.kvmosgi.kvm.api.KvmStat;
import org.kvmosgi.kvm.api.KvmUserspaceMemoryRegion;
import org.kvmosgi.kvm.api.x86.KvmMemorySlot;
import org.kvmosgi.kvm.api.x86.KvmSymbols;
import org.kvmosgi.kvm.api.x86.KvmVcpu;
import org.kvmosgi.kvm.api.x86.KvmVm;
import org.kvmosgi.kvm.api.x86.X86;

/**
 * virt/kvm/kvm_main.c: kvm_init()/kvm_exit(), virtualization enabling, /dev/kvm and the
 * VM and vCPU file operations. Return values follow the kernel: a result, or -errno.
 */
final class KvmMain {
    private static final int EINVAL = Errno.EINVAL.neg(), EFAULT = Errno.EFAULT.neg(), ENOTTY = Errno.ENOTTY.neg(),
            EEXIST = Errno.EEXIST.neg(), ENOMEM = Errno.ENOMEM.neg(), EBUSY = Errno.EBUSY.neg(),
            ENODEV = Errno.ENODEV.neg(), EINTR = Errno.EINTR.neg();
    /** KVM_MAX_VCPU_IDS of the model. */
    static final int KVM_MAX_VCPU_IDS = KvmVm.KVM_MAX_VCPUS;

    private final X86Arch x86;
    private final AtomicInteger vmIds = new AtomicInteger();
    /** kvm_lock: kvm_usage_count and the per-CPU virtualization state. */
    private final ReentrantLock kvmLock = new ReentrantLock();
    private int kvmUsageCount;
    private boolean[] virtualizationEnabled = new boolean[0];
    private volatile KvmSymbols.VcpuFactory vcpuCache;
    /** kvm_chardev_ops.owner: the vendor module. */
    private volatile String owner;
    private Allocation vcpuCacheMemory;
    private MiscDevice kvmDev;

    private final FileOperations chardevOps = this::devIoctl;
    private final FileOperations vmFops = new FileOperations() {
        @Override
        public long ioctl(OpenFile file, int cmd, Object arg) {
            return vmIoctl((KvmVm) file.privateData(), file, cmd, arg);
        }

        @Override
        public void release(OpenFile file) {
            putKvm((KvmVm) file.privateData());
        }
    };
    private final FileOperations vcpuFops = new FileOperations() {
        @Override
        public long ioctl(OpenFile file, int cmd, Object arg) {
            return vcpuIoctl((KvmVcpu) file.privateData(), cmd, arg);
        }

        @Override
        public void release(OpenFile file) {
            putKvm(((KvmVcpu) file.privateData()).kvm);
        }
    };

    KvmMain(X86Arch x86) {
        this.x86 = x86;
    }

    // ---------------------------------------------------------------- kvm_init / kvm_exit

    /** kvm_init(): the vCPU cache, virtualization, and /dev/kvm registered last. */
    int kvmInit(KvmSymbols.VcpuFactory cache, String module) {
        vcpuCacheMemory = x86.ctx().kernel().kmalloc("kvm_vcpu", 4096);
        if (vcpuCacheMemory == null) {
            return ENOMEM;
        }
        vcpuCache = cache;
        owner = module;
        int r = x86.ctx().step("kvm_init_virtualization", this::initVirtualization);
        if (r != 0) {
            freeVcpuCache();
            return r;
        }
        // Registration must be the very last thing done: it exposes /dev/kvm to user space.
        r = x86.ctx().step("misc_register", () -> {
            kvmDev = x86.ctx().kernel().miscRegister("kvm", module, chardevOps);
            return kvmDev == null ? EBUSY : 0;
        });
        if (r != 0) {
            x86.log().err("misc device register failed");
            uninitVirtualization();
            freeVcpuCache();
            return r;
        }
        return 0;
    }

    /** kvm_exit(): /dev/kvm goes first. */
    void kvmExit() {
        if (kvmDev != null) {
            x86.ctx().kernel().miscDeregister(kvmDev);
            kvmDev = null;
        }
        uninitVirtualization();
        freeVcpuCache();
    }

    private void freeVcpuCache() {
        if (vcpuCacheMemory != null) {
            vcpuCacheMemory.free();
            vcpuCacheMemory = null;
        }
        vcpuCache = null;
        owner = null;
    }

    private boolean enableVirtAtLoad() {
        return x86.ctx().params().bool("enable_virt_at_load");
    }

    private int initVirtualization() {
        return enableVirtAtLoad() ? enableVirtualization() : 0;
    }

    private void uninitVirtualization() {
        if (enableVirtAtLoad()) {
            disableVirtualization();
        }
    }

    /** kvm_enable_virtualization(): the first user turns VMX/SVM on in every CPU. */
    private int enableVirtualization() {
        kvmLock.lock();
        try {
            if (kvmUsageCount++ > 0) {
                return 0;
            }
            int n = 0;
            for (Cpu c : x86.ctx().host().cpus()) {
                n = Math.max(n, c.id() + 1);
            }
            virtualizationEnabled = new boolean[n];
            for (Cpu c : x86.ctx().host().cpus()) {
                int r = x86.ops.enableVirtualizationCpu(c.id());
                if (r != 0) {
                    x86.log().info("enabling virtualization on CPU%d failed", c.id());
                    disableAllCpus();
                    kvmUsageCount--;
                    return r;
                }
                virtualizationEnabled[c.id()] = true;
            }
            return 0;
        } finally {
            kvmLock.unlock();
        }
    }

    private void disableVirtualization() {
        kvmLock.lock();
        try {
            if (kvmUsageCount > 0 && --kvmUsageCount == 0) {
                disableAllCpus();
            }
        } finally {
            kvmLock.unlock();
        }
    }

    private void disableAllCpus() {
        for (int cpu = 0; cpu < virtualizationEnabled.length; cpu++) {
            if (virtualizationEnabled[cpu]) {
                x86.ops.disableVirtualizationCpu(cpu);
                virtualizationEnabled[cpu] = false;
            }
        }
    }

    // ---------------------------------------------------------------- /dev/kvm

    /** kvm_dev_ioctl(); unknown numbers go to kvm_arch_dev_ioctl(). */
    private long devIoctl(OpenFile file, int cmd, Object arg) {
        if (cmd == KVM_GET_API_VERSION) {
            return isZero(arg) ? KVM_API_VERSION : EINVAL;
        } else if (cmd == KVM_CREATE_VM) {
            Long type = value(arg);
            return type == null ? EINVAL : createVm(file, type);
        } else if (cmd == KVM_CHECK_EXTENSION) {
            Long ext = value(arg);
            return ext == null ? EINVAL : checkExtension(ext, null);
        } else if (cmd == KVM_GET_VCPU_MMAP_SIZE) {
            return isZero(arg) ? KvmRunLayout.MMAP_SIZE : EINVAL;
        }
        return x86.devIoctl(cmd, arg);
    }

    /** The argument of an _IO ioctl: an integer value (null means 0), or null when it is not one. */
    private static Long value(Object arg) {
        if (arg == null) {
            return 0L;
        }
        if (arg instanceof Integer || arg instanceof Long || arg instanceof Short || arg instanceof Byte) {
            return ((Number) arg).longValue();
        }
        return null;
    }

    private static boolean isZero(Object arg) {
        Long v = value(arg);
        return v != null && v == 0;
    }

    /** kvm_vm_ioctl_check_extension_generic() with the x86 part. */
    private long checkExtension(long ext, KvmVm kvm) {
        if (ext != (int) ext) {
            return 0;
        }
        switch ((int) ext) {
            case KvmCap.KVM_CAP_IRQCHIP:
            case KvmCap.KVM_CAP_HLT:
            case KvmCap.KVM_CAP_USER_MEMORY:
            case KvmCap.KVM_CAP_EXT_CPUID:
            case KvmCap.KVM_CAP_MP_STATE:
            case KvmCap.KVM_CAP_SYNC_MMU:
            case KvmCap.KVM_CAP_DESTROY_MEMORY_REGION_WORKS:
            case KvmCap.KVM_CAP_JOIN_MEMORY_REGIONS_WORKS:
            case KvmCap.KVM_CAP_INTERNAL_ERROR_DATA:
            case KvmCap.KVM_CAP_READONLY_MEM:
            case KvmCap.KVM_CAP_CHECK_EXTENSION_VM:
            case KvmCap.KVM_CAP_IMMEDIATE_EXIT:
                return 1;
            case KvmCap.KVM_CAP_NR_VCPUS:
                return Math.min(x86.ctx().host().cpus().size(), KvmVm.KVM_MAX_VCPUS);
            case KvmCap.KVM_CAP_MAX_VCPUS:
                return KvmVm.KVM_MAX_VCPUS;
            case KvmCap.KVM_CAP_MAX_VCPU_ID:
                return KVM_MAX_VCPU_IDS;
            case KvmCap.KVM_CAP_NR_MEMSLOTS:
                return KvmVm.KVM_USER_MEM_SLOTS;
            default:
                return 0;
        }
    }

    // ---------------------------------------------------------------- VMs

    /** kvm_dev_ioctl_create_vm(): only KVM_X86_DEFAULT_VM (0). */
    private long createVm(OpenFile file, long type) {
        if (type != 0) {
            return EINVAL;
        }
        String module = owner;
        if (module == null || !x86.ctx().kernel().tryModuleGet(module)) {
            return ENODEV;
        }
        KvmVm kvm = new KvmVm(vmIds.incrementAndGet());
        int r = x86.ops.vmInit(kvm);
        if (r != 0) {
            x86.ctx().kernel().modulePut(module);
            return r;
        }
        if (!enableVirtAtLoad()) {
            r = enableVirtualization();
            if (r != 0) {
                x86.ops.vmDestroy(kvm);
                x86.ctx().kernel().modulePut(module);
                return r;
            }
        }
        int fd = file.anonInodeGetFd("kvm-vm", module, vmFops, kvm);
        if (fd < 0) {
            putKvm(kvm);
        }
        return fd;
    }

    /** kvm_get_kvm(). */
    void getKvm(KvmVm kvm) {
        kvm.usersCount.incrementAndGet();
    }

    /** kvm_put_kvm(): the last reference destroys the VM (kvm_destroy_vm()). */
    void putKvm(KvmVm kvm) {
        if (kvm.usersCount.decrementAndGet() != 0) {
            return;
        }
        for (int i = 0; i < kvm.onlineVcpus; i++) {
            KvmVcpu v = kvm.vcpus[i];
            for (int s = 0; s < KvmStat.COUNT; s++) {
                kvm.retiredStat[s] += v.stat[s];
            }
            x86.ops.vcpuFree(v);
            kvm.vcpus[i] = null;
        }
        kvm.onlineVcpus = 0;
        x86.ops.vmDestroy(kvm);
        if (!enableVirtAtLoad()) {
            disableVirtualization();
        }
        x86.ctx().kernel().modulePut(owner);
    }

    /** kvm_vm_ioctl(); unknown numbers end in kvm_arch_vm_ioctl(): -ENOTTY. */
    private long vmIoctl(KvmVm kvm, OpenFile file, int cmd, Object arg) {
        if (cmd == KVM_CREATE_VCPU) {
            Long id = value(arg);
            return id == null ? EINVAL : createVcpu(kvm, file, id);
        } else if (cmd == KVM_SET_USER_MEMORY_REGION) {
            if (!(arg instanceof KvmUserspaceMemoryRegion)) {
                return EFAULT;
            }
            return setMemoryRegion(kvm, (KvmUserspaceMemoryRegion) arg);
        } else if (cmd == KVM_CHECK_EXTENSION) {
            Long ext = value(arg);
            return ext == null ? EINVAL : checkExtension(ext, kvm);
        } else if (cmd == KVM_CREATE_IRQCHIP) {
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
        } else if (cmd == KVMOSGI_GET_STATS) {
            if (!(arg instanceof long[]) || ((long[]) arg).length < KvmStat.COUNT) {
                return EFAULT;
            }
            kvm.stats((long[]) arg);
            return 0;
        }
        return ENOTTY;
    }

    /** kvm_vm_ioctl_create_vcpu(). */
    private long createVcpu(KvmVm kvm, OpenFile file, long id) {
        if (id < 0 || id >= KVM_MAX_VCPU_IDS) {
            return EINVAL;
        }
        kvm.lock.lock();
        try {
            int online = kvm.onlineVcpus;
            if (online >= KvmVm.KVM_MAX_VCPUS) {
                return EINVAL;
            }
            for (int i = 0; i < online; i++) {
                if (kvm.vcpus[i].vcpuId == id) {
                    return EEXIST;
                }
            }
            KvmVcpu vcpu = vcpuCache.create(kvm, (int) id);
            int r = x86.ops.vcpuCreate(vcpu);
            if (r != 0) {
                return r;
            }
            x86.ops.vcpuReset(vcpu, false);
            getKvm(kvm);
            int fd = file.anonInodeGetFd("kvm-vcpu:" + id, owner, vcpuFops, vcpu);
            if (fd < 0) {
                kvm.usersCount.decrementAndGet();
                x86.ops.vcpuFree(vcpu);
                return fd;
            }
            kvm.vcpus[online] = vcpu;
            kvm.onlineVcpus = online + 1;
            return fd;
        } finally {
            kvm.lock.unlock();
        }
    }

    /** kvm_set_memory_region() checks, then the memslots are replaced as a whole. */
    private long setMemoryRegion(KvmVm kvm, KvmUserspaceMemoryRegion mem) {
        int valid = KvmUserspaceMemoryRegion.KVM_MEM_LOG_DIRTY_PAGES | KvmUserspaceMemoryRegion.KVM_MEM_READONLY;
        if ((mem.flags & ~valid) != 0) {
            return EINVAL;
        }
        if ((mem.memorySize & (KvmRunLayout.PAGE_SIZE - 1)) != 0 || (mem.guestPhysAddr & (KvmRunLayout.PAGE_SIZE - 1)) != 0) {
            return EINVAL;
        }
        if (mem.slot < 0 || mem.slot >= KvmVm.KVM_USER_MEM_SLOTS || mem.memorySize < 0 || mem.guestPhysAddr < 0
                || mem.guestPhysAddr + mem.memorySize < mem.guestPhysAddr || mem.memorySize > Integer.MAX_VALUE) {
            return EINVAL;
        }
        // access_ok() on the user range
        if (mem.memorySize > 0 && (mem.userspaceMemory == null || mem.userspaceMemory.capacity() < mem.memorySize)) {
            return EINVAL;
        }
        kvm.slotsLock.lock();
        try {
            KvmMemorySlot[] slots = kvm.memslots();
            KvmMemorySlot old = null;
            for (KvmMemorySlot s : slots) {
                if (s.id == mem.slot) {
                    old = s;
                }
            }
            if (mem.memorySize == 0) {
                if (old == null) {
                    return EINVAL;
                }
                kvm.setMemslots(without(slots, old));
                return 0;
            }
            if (old != null && (old.size != mem.memorySize || ((mem.flags ^ old.flags) & KvmUserspaceMemoryRegion.KVM_MEM_READONLY) != 0)) {
                return EINVAL;
            }
            for (KvmMemorySlot s : slots) {
                if (s != old && mem.guestPhysAddr < s.base + s.size && s.base < mem.guestPhysAddr + mem.memorySize) {
                    return EEXIST;
                }
            }
            ByteBuffer view = mem.userspaceMemory.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            view.clear();
            KvmMemorySlot slot = new KvmMemorySlot(mem.slot, mem.flags, mem.guestPhysAddr, mem.memorySize, view);
            KvmMemorySlot[] next = Arrays.copyOf(old == null ? slots : without(slots, old), (old == null ? slots.length : slots.length - 1) + 1);
            next[next.length - 1] = slot;
            Arrays.sort(next, Comparator.comparingLong(s -> s.base));
            kvm.setMemslots(next);
            return 0;
        } finally {
            kvm.slotsLock.unlock();
        }
    }

    private static KvmMemorySlot[] without(KvmMemorySlot[] slots, KvmMemorySlot gone) {
        return Arrays.stream(slots).filter(s -> s != gone).toArray(KvmMemorySlot[]::new);
    }

    // ---------------------------------------------------------------- vCPUs

    /** kvm_vcpu_ioctl(): one ioctl at a time per vCPU; unknown numbers: -EINVAL (x86). */
    private long vcpuIoctl(KvmVcpu vcpu, int cmd, Object arg) {
        if (((cmd >>> 8) & 0xff) != KVMIO) {
            return EINVAL;
        }
        try {
            vcpu.mutex.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EINTR;
        }
        try {
            if (cmd == KVM_RUN) {
                return isZero(arg) ? x86.vcpuIoctlRun(vcpu) : EINVAL;
            } else if (cmd == KVM_GET_REGS) {
                if (!(arg instanceof KvmRegs)) {
                    return EFAULT;
                }
                getRegs(vcpu, (KvmRegs) arg);
                return 0;
            } else if (cmd == KVM_SET_REGS) {
                if (!(arg instanceof KvmRegs)) {
                    return EFAULT;
                }
                setRegs(vcpu, (KvmRegs) arg);
                return 0;
            } else if (cmd == KVMOSGI_MMAP_VCPU) {
                if (!(arg instanceof ByteBuffer[]) || ((ByteBuffer[]) arg).length < 1) {
                    return EFAULT;
                }
                ((ByteBuffer[]) arg)[0] = vcpu.run.duplicate().order(ByteOrder.LITTLE_ENDIAN);
                return 0;
            } else if (cmd == KVMOSGI_GET_STATS) {
                if (!(arg instanceof long[]) || ((long[]) arg).length < KvmStat.COUNT) {
                    return EFAULT;
                }
                System.arraycopy(vcpu.stat, 0, (long[]) arg, 0, KvmStat.COUNT);
                return 0;
            }
            return x86.vcpuIoctl(vcpu, cmd, arg);
        } finally {
            vcpu.mutex.unlock();
        }
    }

    private static void getRegs(KvmVcpu v, KvmRegs r) {
        long[] g = v.regs;
        r.rax = g[X86.VCPU_REGS_RAX]; r.rbx = g[X86.VCPU_REGS_RBX]; r.rcx = g[X86.VCPU_REGS_RCX]; r.rdx = g[X86.VCPU_REGS_RDX];
        r.rsi = g[X86.VCPU_REGS_RSI]; r.rdi = g[X86.VCPU_REGS_RDI]; r.rsp = g[X86.VCPU_REGS_RSP]; r.rbp = g[X86.VCPU_REGS_RBP];
        r.r8 = g[8]; r.r9 = g[9]; r.r10 = g[10]; r.r11 = g[11]; r.r12 = g[12]; r.r13 = g[13]; r.r14 = g[14]; r.r15 = g[15];
        r.rip = v.rip;
        r.rflags = v.rflags;
    }

    private static void setRegs(KvmVcpu v, KvmRegs r) {
        long[] g = v.regs;
        g[X86.VCPU_REGS_RAX] = r.rax; g[X86.VCPU_REGS_RBX] = r.rbx; g[X86.VCPU_REGS_RCX] = r.rcx; g[X86.VCPU_REGS_RDX] = r.rdx;
        g[X86.VCPU_REGS_RSI] = r.rsi; g[X86.VCPU_REGS_RDI] = r.rdi; g[X86.VCPU_REGS_RSP] = r.rsp; g[X86.VCPU_REGS_RBP] = r.rbp;
        g[8] = r.r8; g[9] = r.r9; g[10] = r.r10; g[11] = r.r11; g[12] = r.r12; g[13] = r.r13; g[14] = r.r14; g[15] = r.r15;
        v.rip = r.rip;
        v.rflags = r.rflags | 2; // bit 1 is always set
    }
}
