package org.kvmosgi.kvm.ppc.book3s;

import static org.kvmosgi.kvm.api.KvmIoctl.*;
import static org.kvmosgi.kvm.ppc.api.PpcKvm.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import org.kvmosgi.kernel.api.Allocation;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.dev.FileOperations;
import org.kvmosgi.kernel.api.dev.MiscDevice;
import org.kvmosgi.kernel.api.dev.OpenFile;
import org.kvmosgi.kernel.api.host.CpuFlags;
import org.kvmosgi.kvm.api.KvmCap;
import org.kvmosgi.kvm.api.KvmExitReason;
import org.kvmosgi.kvm.api.KvmRunLayout;
import org.kvmosgi.kvm.api.KvmStat;
import org.kvmosgi.kvm.api.KvmUserspaceMemoryRegion;
import org.kvmosgi.kvm.api.KvmEnableCap;
import org.kvmosgi.kvm.api.ppc.KvmPpcRegs;
import org.kvmosgi.kvm.ppc.api.KvmPpcVcpu;
import org.kvmosgi.kvm.ppc.api.KvmPpcVm;
import org.kvmosgi.kvm.ppc.api.KvmppcOps;
import org.kvmosgi.kvm.ppc.api.MmioAccess;
import org.kvmosgi.kvm.ppc.api.OpsSlot;

/**
 * kvm.ko on Book3S: kvm_main.c's /dev/kvm, VM and vCPU files, and powerpc.c's arch part —
 * the two plug-in pointers, KVM_CREATE_VM's type dispatch, KVM_CHECK_EXTENSION, MMIO and
 * hcall completion. Return values follow the kernel: a result, or -errno.
 */
public final class Book3sCore implements MmioAccess {
    private static final int EINVAL = Errno.EINVAL.neg(), EFAULT = Errno.EFAULT.neg(), ENOTTY = Errno.ENOTTY.neg(),
            EEXIST = Errno.EEXIST.neg(), ENOMEM = Errno.ENOMEM.neg(), EBUSY = Errno.EBUSY.neg(),
            ENOENT = Errno.ENOENT.neg(), EINTR = Errno.EINTR.neg();

    /** kvmppc_hv_ops and kvmppc_pr_ops (powerpc.c). */
    public final OpsSlot hvOps;
    public final OpsSlot prOps;

    private final ModuleContext ctx;
    private final AtomicInteger vmIds = new AtomicInteger();
    private Allocation vcpuCache;
    private MiscDevice kvmDev;

    private final FileOperations chardevOps = this::devIoctl;
    private final FileOperations vmFops = new FileOperations() {
        @Override
        public long ioctl(OpenFile file, int cmd, Object arg) {
            return vmIoctl((KvmPpcVm) file.privateData(), file, cmd, arg);
        }

        @Override
        public void release(OpenFile file) {
            putKvm((KvmPpcVm) file.privateData());
        }
    };
    private final FileOperations vcpuFops = new FileOperations() {
        @Override
        public long ioctl(OpenFile file, int cmd, Object arg) {
            return vcpuIoctl((KvmPpcVcpu) file.privateData(), cmd, arg);
        }

        @Override
        public void release(OpenFile file) {
            putKvm(((KvmPpcVcpu) file.privateData()).kvm);
        }
    };

    public Book3sCore(ModuleContext ctx) {
        this(ctx, new OpsSlot(KVMPPC_HV_OPS), new OpsSlot(KVMPPC_PR_OPS));
    }

    /** A core whose ops pointers are the given (exported) variables. */
    public Book3sCore(ModuleContext ctx, OpsSlot hvOps, OpsSlot prOps) {
        this.ctx = ctx;
        this.hvOps = hvOps;
        this.prOps = prOps;
    }

    // ---------------------------------------------------------------- kvm_init / kvm_exit

    /**
     * kvm_init() as kvmppc_book3s_init() calls it: the vCPU cache, then /dev/kvm, last.
     * On Book3S this runs at kvm.ko's own init, whether or not HV or PR ever loads.
     */
    public int kvmInit() {
        vcpuCache = ctx.kernel().kmalloc("kvm_vcpu cache", 4096);
        if (vcpuCache == null) {
            return ENOMEM;
        }
        kvmDev = ctx.kernel().miscRegister("kvm", ctx.name(), chardevOps);
        if (kvmDev == null) {
            ctx.log().err("misc device register failed");
            vcpuCache.free();
            vcpuCache = null;
            return EBUSY;
        }
        return 0;
    }

    /** kvm_exit(): /dev/kvm goes first. */
    public void kvmExit() {
        if (kvmDev != null) {
            ctx.kernel().miscDeregister(kvmDev);
            kvmDev = null;
        }
        if (vcpuCache != null) {
            vcpuCache.free();
            vcpuCache = null;
        }
    }

    // ---------------------------------------------------------------- /dev/kvm

    /** kvm_dev_ioctl(); other numbers go to kvm_arch_dev_ioctl(), which is -EINVAL on PowerPC. */
    long devIoctl(OpenFile file, int cmd, Object arg) {
        if (cmd == KVM_GET_API_VERSION) {
            return isZero(arg) ? KVM_API_VERSION : EINVAL;
        } else if (cmd == KVM_CREATE_VM) {
            Long type = value(arg);
            return type == null ? EINVAL : createVm(file, type);
        } else if (cmd == KVM_CHECK_EXTENSION) {
            Long ext = value(arg);
            return ext == null ? EINVAL : checkExtension(ext, null);
        } else if (cmd == KVM_GET_VCPU_MMAP_SIZE) {
            return isZero(arg) ? VCPU_MMAP_SIZE : EINVAL;
        }
        return EINVAL;
    }

    /** The argument of an _IO ioctl: an integer (null means 0), or null when it is not one. */
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

    /**
     * kvm_vm_ioctl_check_extension() of powerpc.c with the generic part. Without a VM,
     * "HV" means kvm-hv is loaded, as in Linux; with one, the VM's kind decides.
     */
    long checkExtension(long ext, KvmPpcVm kvm) {
        if (ext != (int) ext) {
            return 0;
        }
        KvmppcOps hv = hvOps.get();
        boolean hvEnabled = kvm != null ? kvm.ops != null && kvm.ops.vmType() == KVM_VM_PPC_HV : hv != null;
        int cpus = ctx.host().cpus().size();
        switch ((int) ext) {
            // generic (kvm_vm_ioctl_check_extension_generic)
            case KvmCap.KVM_CAP_USER_MEMORY:
            case KvmCap.KVM_CAP_DESTROY_MEMORY_REGION_WORKS:
            case KvmCap.KVM_CAP_JOIN_MEMORY_REGIONS_WORKS:
            case KvmCap.KVM_CAP_INTERNAL_ERROR_DATA:
            case KvmCap.KVM_CAP_CHECK_EXTENSION_VM:
            case KvmCap.KVM_CAP_BINARY_STATS_FD:
                return 1;
            case KvmCap.KVM_CAP_NR_MEMSLOTS:
                return KVM_USER_MEM_SLOTS;
            // powerpc.c
            case KVM_CAP_PPC_SEGSTATE:
            case KVM_CAP_PPC_HIOR:
            case KVM_CAP_PPC_PAPR:
            case KVM_CAP_PPC_UNSET_IRQ:
            case KVM_CAP_PPC_IRQ_LEVEL:
            case KVM_CAP_ENABLE_CAP:
            case KVM_CAP_ONE_REG:
            case KvmCap.KVM_CAP_IMMEDIATE_EXIT:
            case KVM_CAP_PPC_GET_SMMU_INFO:
                return 1;
            case KVM_CAP_PPC_PAIRED_SINGLES:
            case KVM_CAP_PPC_OSI:
            case KVM_CAP_PPC_GET_PVINFO:
                return hvEnabled ? 0 : 1;
            case KVM_CAP_PPC_SMT: {
                // threads_per_subcore: 8 on POWER8, 4 on POWER9; a POWER9 host without a VM says 1
                boolean p9 = ctx.host().allCpusHave(CpuFlags.ARCH_3_00);
                if (kvm != null) {
                    return p9 ? 4 : 8;
                }
                return hvEnabled ? (p9 ? 1 : 8) : 0;
            }
            case KVM_CAP_PPC_RMA:
                return 0;
            case KVM_CAP_PPC_MMU_RADIX:
                return hvEnabled && ctx.host().allCpusHave(CpuFlags.RADIX) ? 1 : 0;
            case KVM_CAP_PPC_MMU_HASH_V3:
                return hvEnabled && hv != null && hv.hashV3Possible() ? 1 : 0;
            case KVM_CAP_PPC_NESTED_HV:
                return hvEnabled && hv != null && hv.enableNested(null) == 0 ? 1 : 0;
            case KvmCap.KVM_CAP_SYNC_MMU:
                return 1;
            case KvmCap.KVM_CAP_NR_VCPUS:
                return hvEnabled ? Math.min(cpus, KVM_MAX_VCPUS) : cpus;
            case KvmCap.KVM_CAP_MAX_VCPUS:
            case KvmCap.KVM_CAP_MAX_VCPU_ID:
                return KVM_MAX_VCPUS;
            default:
                return 0;
        }
    }

    // ---------------------------------------------------------------- VMs

    /**
     * kvm_dev_ioctl_create_vm() → kvm_arch_init_vm() of powerpc.c: type 0 is HV if
     * loaded, else PR; KVM_VM_PPC_HV and KVM_VM_PPC_PR ask for one; anything else, or an
     * implementation that is not loaded, is -EINVAL. The VM pins the module that runs it
     * (try_module_get(kvm_ops->owner), -ENOENT if it is going), and an init_vm failure
     * gives the pin back ("Decrement module refcount if init_vm fails", v5.18).
     */
    long createVm(OpenFile file, long type) {
        KvmppcOps ops;
        if (type == 0) {
            ops = hvOps.get() != null ? hvOps.get() : prOps.get();
        } else if (type == KVM_VM_PPC_HV) {
            ops = hvOps.get();
        } else if (type == KVM_VM_PPC_PR) {
            ops = prOps.get();
        } else {
            return EINVAL;
        }
        if (ops == null) {
            return EINVAL;
        }
        if (!ctx.kernel().tryModuleGet(ops.owner())) {
            return ENOENT;
        }
        KvmPpcVm kvm = new KvmPpcVm(vmIds.incrementAndGet());
        kvm.ops = ops;
        int r = ops.initVm(kvm);
        if (r != 0) {
            ctx.kernel().modulePut(ops.owner());
            return r;
        }
        int fd = file.anonInodeGetFd("kvm-vm", ctx.name(), vmFops, kvm);
        if (fd < 0) {
            putKvm(kvm);
        }
        return fd;
    }

    /** kvm_put_kvm(): the last reference destroys the VM and gives back its module pin. */
    void putKvm(KvmPpcVm kvm) {
        if (kvm.usersCount.decrementAndGet() != 0) {
            return;
        }
        KvmppcOps ops = kvm.ops;
        for (int i = 0; i < kvm.onlineVcpus; i++) {
            KvmPpcVcpu v = kvm.vcpus[i];
            for (int s = 0; s < KvmStat.COUNT; s++) {
                kvm.retiredStat[s] += v.stat[s];
            }
            ops.vcpuFree(v);
            kvm.vcpus[i] = null;
        }
        kvm.onlineVcpus = 0;
        ops.destroyVm(kvm);
        ctx.kernel().modulePut(ops.owner());
    }

    /** kvm_vm_ioctl(); what it does not know goes to the implementation's arch_vm_ioctl: -ENOTTY. */
    long vmIoctl(KvmPpcVm kvm, OpenFile file, int cmd, Object arg) {
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
        } else if (cmd == KVM_ENABLE_CAP) {
            // kvm_vm_ioctl_enable_cap(): none of the VM capabilities it knows is modelled
            return arg instanceof KvmEnableCap ? EINVAL : EFAULT;
        } else if (cmd == KVMOSGI_GET_STATS) {
            if (!(arg instanceof long[]) || ((long[]) arg).length < KvmStat.COUNT) {
                return EFAULT;
            }
            long[] out = (long[]) arg;
            kvm.lock.lock();
            try {
                System.arraycopy(kvm.retiredStat, 0, out, 0, KvmStat.COUNT);
                for (int i = 0; i < kvm.onlineVcpus; i++) {
                    for (int s = 0; s < KvmStat.COUNT; s++) {
                        out[s] += kvm.vcpus[i].stat[s];
                    }
                }
            } finally {
                kvm.lock.unlock();
            }
            return 0;
        }
        return ENOTTY;
    }

    /** kvm_vm_ioctl_create_vcpu(). */
    long createVcpu(KvmPpcVm kvm, OpenFile file, long id) {
        if (id < 0 || id >= KVM_MAX_VCPUS) {
            return EINVAL;
        }
        kvm.lock.lock();
        try {
            int online = kvm.onlineVcpus;
            if (online >= KVM_MAX_VCPUS) {
                return EINVAL;
            }
            for (int i = 0; i < online; i++) {
                if (kvm.vcpus[i].vcpuId == id) {
                    return EEXIST;
                }
            }
            KvmPpcVcpu vcpu = new KvmPpcVcpu(kvm, (int) id);
            int r = kvm.ops.vcpuCreate(vcpu);
            if (r != 0) {
                return r;
            }
            kvm.usersCount.incrementAndGet();
            int fd = file.anonInodeGetFd("kvm-vcpu:" + id, ctx.name(), vcpuFops, vcpu);
            if (fd < 0) {
                kvm.usersCount.decrementAndGet();
                kvm.ops.vcpuFree(vcpu);
                return fd;
            }
            kvm.vcpus[online] = vcpu;
            kvm.onlineVcpus = online + 1;
            return fd;
        } finally {
            kvm.lock.unlock();
        }
    }

    /** kvm_set_memory_region(): the generic checks (64K pages on ppc64), then the slots replaced as a whole. */
    long setMemoryRegion(KvmPpcVm kvm, KvmUserspaceMemoryRegion mem) {
        int valid = KvmUserspaceMemoryRegion.KVM_MEM_LOG_DIRTY_PAGES | KvmUserspaceMemoryRegion.KVM_MEM_READONLY;
        if ((mem.flags & ~valid) != 0) {
            return EINVAL;
        }
        if ((mem.memorySize & (PAGE_SIZE - 1)) != 0 || (mem.guestPhysAddr & (PAGE_SIZE - 1)) != 0) {
            return EINVAL;
        }
        if (mem.slot < 0 || mem.slot >= KVM_USER_MEM_SLOTS || mem.memorySize < 0 || mem.guestPhysAddr < 0
                || mem.guestPhysAddr + mem.memorySize < mem.guestPhysAddr || mem.memorySize > Integer.MAX_VALUE) {
            return EINVAL;
        }
        if (mem.memorySize > 0 && (mem.userspaceMemory == null || mem.userspaceMemory.capacity() < mem.memorySize)) {
            return EINVAL;
        }
        kvm.slotsLock.lock();
        try {
            KvmPpcVm.Slot[] slots = kvm.memslots();
            KvmPpcVm.Slot old = null;
            for (KvmPpcVm.Slot s : slots) {
                if (s.id() == mem.slot) {
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
            if (old != null && (old.size() != mem.memorySize
                    || ((mem.flags ^ old.flags()) & KvmUserspaceMemoryRegion.KVM_MEM_READONLY) != 0)) {
                return EINVAL;
            }
            for (KvmPpcVm.Slot s : slots) {
                if (s != old && mem.guestPhysAddr < s.base() + s.size() && s.base() < mem.guestPhysAddr + mem.memorySize) {
                    return EEXIST;
                }
            }
            ByteBuffer view = mem.userspaceMemory.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            view.clear();
            KvmPpcVm.Slot slot = new KvmPpcVm.Slot(mem.slot, mem.flags, mem.guestPhysAddr, mem.memorySize, view);
            KvmPpcVm.Slot[] rest = old == null ? slots : without(slots, old);
            KvmPpcVm.Slot[] next = Arrays.copyOf(rest, rest.length + 1);
            next[rest.length] = slot;
            Arrays.sort(next, Comparator.comparingLong(KvmPpcVm.Slot::base));
            kvm.setMemslots(next);
            return 0;
        } finally {
            kvm.slotsLock.unlock();
        }
    }

    private static KvmPpcVm.Slot[] without(KvmPpcVm.Slot[] slots, KvmPpcVm.Slot gone) {
        return Arrays.stream(slots).filter(s -> s != gone).toArray(KvmPpcVm.Slot[]::new);
    }

    // ---------------------------------------------------------------- vCPUs

    /** kvm_vcpu_ioctl() and kvm_arch_vcpu_ioctl(): unknown numbers are -EINVAL on PowerPC. */
    long vcpuIoctl(KvmPpcVcpu vcpu, int cmd, Object arg) {
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
                return isZero(arg) ? run(vcpu) : EINVAL;
            } else if (cmd == KVM_GET_REGS) {
                if (!(arg instanceof KvmPpcRegs)) {
                    return EFAULT;
                }
                getRegs(vcpu, (KvmPpcRegs) arg);
                return 0;
            } else if (cmd == KVM_SET_REGS) {
                if (!(arg instanceof KvmPpcRegs)) {
                    return EFAULT;
                }
                setRegs(vcpu, (KvmPpcRegs) arg);
                return 0;
            } else if (cmd == KVM_ENABLE_CAP) {
                if (!(arg instanceof KvmEnableCap)) {
                    return EFAULT;
                }
                return enableCap(vcpu, (KvmEnableCap) arg);
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
            return EINVAL;
        } finally {
            vcpu.mutex.unlock();
        }
    }

    /** kvm_vcpu_ioctl_enable_cap() of powerpc.c: flags must be 0; OSI and PAPR are the ones modelled. */
    private static long enableCap(KvmPpcVcpu vcpu, KvmEnableCap cap) {
        if (cap.flags != 0) {
            return EINVAL;
        }
        switch (cap.cap) {
            case KVM_CAP_PPC_PAPR:
                vcpu.paprEnabled = true;
                return 0;
            case KVM_CAP_PPC_OSI:
                return 0;
            default:
                return EINVAL;
        }
    }

    /**
     * kvm_arch_vcpu_ioctl_run(): first finish what the last exit left to user space (an
     * MMIO load's data into its register, an hcall's return values into r3..r12), then
     * immediate_exit, then the implementation's vcpu_run.
     */
    private long run(KvmPpcVcpu vcpu) {
        ByteBuffer run = vcpu.run;
        if (vcpu.mmioNeeded) {
            if (!vcpu.mmioIsWrite) {
                completeMmioLoad(vcpu);
            }
            vcpu.mmioNeeded = false;
        } else if (vcpu.hcallNeeded) {
            vcpu.gpr[3] = run.getLong(PAPR_HCALL_RET);
            for (int i = 0; i < 9; i++) {
                vcpu.gpr[4 + i] = run.getLong(PAPR_HCALL_ARGS + 8 * i);
            }
            vcpu.hcallNeeded = false;
        }
        if (run.get(KvmRunLayout.IMMEDIATE_EXIT) != 0) {
            run.putInt(KvmRunLayout.EXIT_REASON, KvmExitReason.KVM_EXIT_INTR);
            vcpu.stat[KvmStat.SIGNAL_EXITS]++;
            return EINTR;
        }
        return vcpu.kvm.ops.vcpuRun(vcpu);
    }

    /** kvmppc_complete_mmio_load(): kvm_run.mmio.data in the guest's byte order into the target GPR. */
    private static void completeMmioLoad(KvmPpcVcpu vcpu) {
        ByteBuffer data = vcpu.run.duplicate().order(
                (vcpu.msr & KvmPpcVcpu.MSR_LE) != 0 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        int off = KvmRunLayout.MMIO_DATA;
        long v = switch (vcpu.mmioBytes) {
            case 1 -> vcpu.mmioSignExtend ? data.get(off) : data.get(off) & 0xffL;
            case 2 -> vcpu.mmioSignExtend ? data.getShort(off) : data.getShort(off) & 0xffffL;
            case 4 -> vcpu.mmioSignExtend ? data.getInt(off) : data.getInt(off) & 0xffffffffL;
            default -> data.getLong(off);
        };
        vcpu.gpr[vcpu.mmioRt] = v;
    }

    /** kvmppc_handle_load(): fills kvm_run.mmio for user space. */
    @Override
    public int handleLoad(KvmPpcVcpu vcpu, long gpa, int rt, int bytes, boolean signExtend) {
        ByteBuffer run = vcpu.run;
        run.putInt(KvmRunLayout.EXIT_REASON, KvmExitReason.KVM_EXIT_MMIO);
        run.putLong(KvmRunLayout.MMIO_PHYS_ADDR, gpa);
        run.putLong(KvmRunLayout.MMIO_DATA, 0);
        run.putInt(KvmRunLayout.MMIO_LEN, bytes);
        run.put(KvmRunLayout.MMIO_IS_WRITE, (byte) 0);
        vcpu.mmioNeeded = true;
        vcpu.mmioIsWrite = false;
        vcpu.mmioRt = rt;
        vcpu.mmioBytes = bytes;
        vcpu.mmioSignExtend = signExtend;
        return EMULATE_DO_MMIO;
    }

    /** kvmppc_handle_store(): the value in the guest's byte order in kvm_run.mmio.data. */
    @Override
    public int handleStore(KvmPpcVcpu vcpu, long gpa, long value, int bytes) {
        ByteBuffer run = vcpu.run;
        run.putInt(KvmRunLayout.EXIT_REASON, KvmExitReason.KVM_EXIT_MMIO);
        run.putLong(KvmRunLayout.MMIO_PHYS_ADDR, gpa);
        run.putLong(KvmRunLayout.MMIO_DATA, 0);
        ByteBuffer data = run.duplicate().order(
                (vcpu.msr & KvmPpcVcpu.MSR_LE) != 0 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        int off = KvmRunLayout.MMIO_DATA;
        switch (bytes) {
            case 1 -> data.put(off, (byte) value);
            case 2 -> data.putShort(off, (short) value);
            case 4 -> data.putInt(off, (int) value);
            default -> data.putLong(off, value);
        }
        run.putInt(KvmRunLayout.MMIO_LEN, bytes);
        run.put(KvmRunLayout.MMIO_IS_WRITE, (byte) 1);
        vcpu.mmioNeeded = true;
        vcpu.mmioIsWrite = true;
        vcpu.mmioBytes = bytes;
        return EMULATE_DO_MMIO;
    }

    private static void getRegs(KvmPpcVcpu v, KvmPpcRegs r) {
        r.pc = v.pc; r.cr = v.cr; r.ctr = v.ctr; r.lr = v.lr; r.xer = v.xer; r.msr = v.msr;
        r.srr0 = v.srr0; r.srr1 = v.srr1; r.pid = v.pid;
        r.sprg0 = v.sprg[0]; r.sprg1 = v.sprg[1]; r.sprg2 = v.sprg[2]; r.sprg3 = v.sprg[3];
        r.sprg4 = v.sprg[4]; r.sprg5 = v.sprg[5]; r.sprg6 = v.sprg[6]; r.sprg7 = v.sprg[7];
        System.arraycopy(v.gpr, 0, r.gpr, 0, 32);
    }

    /** kvm_arch_vcpu_ioctl_set_regs(): the MSR goes through kvmppc_set_msr, which keeps the guest out of HV state. */
    private static void setRegs(KvmPpcVcpu v, KvmPpcRegs r) {
        v.pc = r.pc; v.cr = r.cr; v.ctr = r.ctr; v.lr = r.lr; v.xer = r.xer;
        v.msr = r.msr & ~KvmPpcVcpu.MSR_HV;
        v.srr0 = r.srr0; v.srr1 = r.srr1; v.pid = r.pid;
        v.sprg[0] = r.sprg0; v.sprg[1] = r.sprg1; v.sprg[2] = r.sprg2; v.sprg[3] = r.sprg3;
        v.sprg[4] = r.sprg4; v.sprg[5] = r.sprg5; v.sprg[6] = r.sprg6; v.sprg[7] = r.sprg7;
        System.arraycopy(r.gpr, 0, v.gpr, 0, 32);
    }
}
