package org.kvmosgi.kvm.virt;

import static org.kvmosgi.kvm.api.KvmIoctl.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.kvmosgi.kernel.api.Allocation;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.dev.FileOperations;
import org.kvmosgi.kernel.api.dev.MiscDevice;
import org.kvmosgi.kernel.api.dev.OpenFile;
import org.kvmosgi.kernel.api.host.Cpu;
import org.kvmosgi.kvm.api.KvmCap;
import org.kvmosgi.kvm.api.KvmStat;
import org.kvmosgi.kvm.api.KvmUserspaceMemoryRegion;
import org.kvmosgi.kvm.api.generic.Kvm;
import org.kvmosgi.kvm.api.generic.KvmArch;
import org.kvmosgi.kvm.api.generic.KvmMemorySlot;
import org.kvmosgi.kvm.api.generic.Vcpu;

/**
 * virt/kvm/kvm_main.c, written once for every architecture: kvm_init()/kvm_exit(),
 * virtualization enabling (CONFIG_KVM_GENERIC_HARDWARE_ENABLING), /dev/kvm, the VM and
 * vCPU file operations, memslots, kvm_get_kvm()/kvm_put_kvm(). What differs per
 * architecture goes through {@link KvmArch}. Return values follow the kernel: a
 * result, or -errno.
 */
public final class KvmMain<K extends Kvm<V>, V extends Vcpu<K>> {
    private static final int EINVAL = Errno.EINVAL.neg(), EFAULT = Errno.EFAULT.neg(),
            EEXIST = Errno.EEXIST.neg(), ENOMEM = Errno.ENOMEM.neg(), EBUSY = Errno.EBUSY.neg(),
            EINTR = Errno.EINTR.neg();

    /** The sizes kmemleak shows for the allocations (the model's; x86-64's struct kvm is larger). */
    private static final long STRUCT_KVM_SIZE = 4096, STRUCT_KVM_VCPU_SIZE = 4096, KVM_RUN_PAGE_SIZE = 4096;

    private final ModuleContext ctx;
    private final KvmArch<K, V> arch;
    private final AtomicInteger vmIds = new AtomicInteger();
    /** kvm_lock: kvm_usage_count and the per-CPU virtualization state. */
    private final ReentrantLock kvmLock = new ReentrantLock();
    private int kvmUsageCount;
    private boolean[] virtualizationEnabled = new boolean[0];
    /** kvm_chardev_ops.owner: the module that called kvm_init(). */
    private volatile String owner;
    private Allocation vcpuCache;
    private MiscDevice kvmDev;

    private final FileOperations chardevOps = this::devIoctl;
    private final FileOperations vmFops = new FileOperations() {
        @Override
        public long ioctl(OpenFile file, int cmd, Object arg) {
            return vmIoctl(vm(file), file, cmd, arg);
        }

        @Override
        public void release(OpenFile file) {
            putKvm(vm(file));
        }
    };
    private final FileOperations vcpuFops = new VcpuFops();

    /**
     * @param ctx the module kvm_main is linked into (kvm.ko; the vendor module in the
     *     monolithic layout): its allocations, messages, parameters and fail_function points
     * @param arch the kvm_arch_* hooks
     */
    public KvmMain(ModuleContext ctx, KvmArch<K, V> arch) {
        this.ctx = ctx;
        this.arch = arch;
        arch.linked(() -> ctx.params().integer("halt_poll_ns"));
    }

    @SuppressWarnings("unchecked")
    private K vm(OpenFile file) {
        return (K) file.privateData();
    }

    @SuppressWarnings("unchecked")
    private V vcpu(OpenFile file) {
        return (V) file.privateData();
    }

    private ModuleContext ctx() {
        return ctx;
    }

    /** kvm_chardev_ops.owner: the module given to kvm_init(), or null before it and after kvm_exit(). */
    public String owner() {
        return owner;
    }

    // ---------------------------------------------------------------- kvm_init / kvm_exit

    /**
     * kvm_init(): the vCPU cache, virtualization on every CPU (with
     * enable_virt_at_load), and /dev/kvm registered last. {@code module} owns /dev/kvm and
     * the VM and vCPU files.
     */
    public int kvmInit(String module) {
        vcpuCache = ctx().kernel().kmalloc("kvm_vcpu", 4096);
        if (vcpuCache == null) {
            return ENOMEM;
        }
        owner = module;
        int r = arch.genericHardwareEnabling() ? ctx().step("kvm_init_virtualization", this::initVirtualization) : 0;
        if (r != 0) {
            freeVcpuCache();
            return r;
        }
        // Registration must be the very last thing done: it exposes /dev/kvm to user space.
        r = ctx().step("misc_register", () -> {
            kvmDev = ctx().kernel().miscRegister("kvm", module, chardevOps);
            return kvmDev == null ? EBUSY : 0;
        });
        if (r != 0) {
            ctx().log().err("misc device register failed");
            uninitVirtualization();
            freeVcpuCache();
            return r;
        }
        return 0;
    }

    /** kvm_exit(): /dev/kvm goes first. */
    public void kvmExit() {
        if (kvmDev != null) {
            ctx().kernel().miscDeregister(kvmDev);
            kvmDev = null;
        }
        uninitVirtualization();
        freeVcpuCache();
    }

    private void freeVcpuCache() {
        if (vcpuCache != null) {
            vcpuCache.free();
            vcpuCache = null;
        }
        owner = null;
    }

    private boolean enableVirtAtLoad() {
        return ctx().params().bool("enable_virt_at_load");
    }

    private int initVirtualization() {
        return enableVirtAtLoad() ? enableVirtualization() : 0;
    }

    private void uninitVirtualization() {
        if (arch.genericHardwareEnabling() && enableVirtAtLoad()) {
            disableVirtualization();
        }
    }

    /** kvm_enable_virtualization(): the first user turns virtualization on in every CPU. */
    private int enableVirtualization() {
        kvmLock.lock();
        try {
            if (kvmUsageCount++ > 0) {
                return 0;
            }
            int n = 0;
            for (Cpu c : ctx().host().cpus()) {
                n = Math.max(n, c.id() + 1);
            }
            virtualizationEnabled = new boolean[n];
            for (Cpu c : ctx().host().cpus()) {
                int r = arch.enableVirtualizationCpu(c.id());
                if (r != 0) {
                    ctx().log().info("enabling virtualization on CPU%d failed", c.id());
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
                arch.disableVirtualizationCpu(cpu);
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
            return isZero(arg) ? arch.vcpuMmapSize() : EINVAL;
        }
        return arch.devIoctl(cmd, arg);
    }

    /** The argument of an _IO ioctl: an integer value (null means 0), or null when it is not one. */
    public static Long value(Object arg) {
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

    /** kvm_vm_ioctl_check_extension_generic(), then the arch's kvm_vm_ioctl_check_extension(). */
    private long checkExtension(long ext, K kvm) {
        if (ext != (int) ext) {
            return 0;
        }
        switch ((int) ext) {
            case KvmCap.KVM_CAP_USER_MEMORY:
            case KvmCap.KVM_CAP_DESTROY_MEMORY_REGION_WORKS:
            case KvmCap.KVM_CAP_JOIN_MEMORY_REGIONS_WORKS:
            case KvmCap.KVM_CAP_INTERNAL_ERROR_DATA:
            case KvmCap.KVM_CAP_CHECK_EXTENSION_VM:
            case KvmCap.KVM_CAP_BINARY_STATS_FD:
                return 1;
            case KvmCap.KVM_CAP_NR_MEMSLOTS:
                return arch.userMemSlots();
            default:
                return arch.checkExtension(kvm, (int) ext);
        }
    }

    // ---------------------------------------------------------------- VMs

    /**
     * kvm_dev_ioctl_create_vm() → kvm_create_vm(), with fail_function points at its steps
     * (kvm_arch_alloc_vm, kvm_arch_init_vm, kvm_enable_virtualization, anon_inode_getfile:
     * a module carrying kvm_main declares them in {@code @Module(steps)}); each failure unwinds what the steps before it took, in reverse,
     * as kvm_create_vm's error labels do, and returns the step's errno.
     */
    private long createVm(OpenFile file, long type) {
        Allocation structKvm = kzalloc("kvm_arch_alloc_vm", "struct kvm", STRUCT_KVM_SIZE);
        if (structKvm == null) {
            return ENOMEM;
        }
        K kvm = arch.allocVm(type, vmIds::incrementAndGet);
        if (kvm == null) {
            structKvm.free();
            return EINVAL;
        }
        kvm.allocations.add(structKvm);
        int r = ctx().step("kvm_arch_init_vm", () -> arch.initVm(kvm));
        if (r != 0) {
            freeVm(kvm); // out_err_no_arch_destroy_vm
            return r;
        }
        if (arch.genericHardwareEnabling() && !enableVirtAtLoad()) {
            r = ctx().step("kvm_enable_virtualization", this::enableVirtualization);
            if (r != 0) {
                arch.destroyVm(kvm); // out_err_no_disable
                freeVm(kvm);
                return r;
            }
        }
        // the file's release (kvm_vm_release → kvm_put_kvm) owns the VM from here
        int fd = ctx().step("anon_inode_getfile", () -> file.anonInodeGetFd("kvm-vm", owner, vmFops, kvm));
        if (fd < 0) {
            putKvm(kvm); // put_kvm: the last reference destroys what kvm_create_vm built
        }
        return fd;
    }

    /**
     * A kzalloc fail_function can fail at {@code step}: the allocation, or null, which the
     * caller turns into -ENOMEM (an allocation's error injection is a NULL return).
     */
    private Allocation kzalloc(String step, String what, long size) {
        Allocation[] got = new Allocation[1];
        int r = ctx().step(step, () -> {
            got[0] = ctx().kernel().kmalloc(what, size);
            return got[0] == null ? ENOMEM : 0;
        });
        return r == 0 ? got[0] : null;
    }

    /** kvm_arch_free_vm(): what kvm_create_vm allocated goes back. */
    private void freeVm(K kvm) {
        for (Allocation a : kvm.allocations) {
            a.free();
        }
        kvm.allocations.clear();
    }

    /** kvm_vcpu_destroy()'s frees: the kvm_run page and struct kvm_vcpu. */
    private static void freeVcpu(Vcpu<?> v) {
        for (Allocation a : v.allocations) {
            a.free();
        }
        v.allocations.clear();
    }

    /** kvm_get_kvm(). */
    public void getKvm(K kvm) {
        kvm.usersCount.incrementAndGet();
    }

    /** kvm_put_kvm(): the last reference destroys the VM (kvm_destroy_vm()). */
    public void putKvm(K kvm) {
        if (kvm.usersCount.decrementAndGet() != 0) {
            return;
        }
        for (int i = 0; i < kvm.onlineVcpus; i++) {
            V v = kvm.vcpus[i];
            for (int s = 0; s < KvmStat.COUNT; s++) {
                kvm.retiredStat[s] += v.stat[s];
            }
            arch.vcpuDestroy(v);
            freeVcpu(v);
            kvm.vcpus[i] = null;
        }
        kvm.onlineVcpus = 0;
        arch.destroyVm(kvm);
        if (arch.genericHardwareEnabling() && !enableVirtAtLoad()) {
            disableVirtualization();
        }
        freeVm(kvm);
    }

    /** kvm_vm_ioctl(); unknown numbers end in kvm_arch_vm_ioctl(). */
    private long vmIoctl(K kvm, OpenFile file, int cmd, Object arg) {
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
        } else if (cmd == KVMOSGI_GET_STATS) {
            if (!(arg instanceof long[]) || ((long[]) arg).length < KvmStat.COUNT) {
                return EFAULT;
            }
            kvm.lock.lock();
            try {
                kvm.stats((long[]) arg);
            } finally {
                kvm.lock.unlock();
            }
            return 0;
        }
        return arch.vmIoctl(kvm, cmd, arg);
    }

    /**
     * kvm_vm_ioctl_create_vcpu(), with fail_function points at its steps
     * (kvm_vcpu_cache_alloc, kvm_run_page_alloc, kvm_arch_vcpu_create, create_vcpu_fd); each failure unwinds in reverse and returns the step's errno.
     */
    private long createVcpu(K kvm, OpenFile file, long id) {
        if (id < 0 || id >= arch.maxVcpuIds()) {
            return EINVAL;
        }
        kvm.lock.lock();
        try {
            int online = kvm.onlineVcpus;
            if (online >= arch.maxVcpus()) {
                return EINVAL;
            }
            for (int i = 0; i < online; i++) {
                if (kvm.vcpus[i].vcpuId == id) {
                    return EEXIST;
                }
            }
            Allocation structVcpu = kzalloc("kvm_vcpu_cache_alloc", "struct kvm_vcpu", STRUCT_KVM_VCPU_SIZE);
            if (structVcpu == null) {
                return ENOMEM;
            }
            Allocation runPage = kzalloc("kvm_run_page_alloc", "kvm_run page", KVM_RUN_PAGE_SIZE);
            if (runPage == null) {
                structVcpu.free(); // vcpu_free
                return ENOMEM;
            }
            V vcpu = arch.allocVcpu(kvm, (int) id);
            vcpu.allocations.add(structVcpu);
            vcpu.allocations.add(runPage);
            int r = ctx().step("kvm_arch_vcpu_create", () -> arch.vcpuCreate(vcpu));
            if (r != 0) {
                freeVcpu(vcpu); // vcpu_free_run_page, vcpu_free
                return r;
            }
            arch.vcpuPostcreate(vcpu);
            getKvm(kvm);
            int fd = ctx().step("create_vcpu_fd", () -> file.anonInodeGetFd("kvm-vcpu:" + id, owner, vcpuFops, vcpu));
            if (fd < 0) {
                // kvm_put_xa_erase, arch_vcpu_destroy, vcpu_free_run_page, vcpu_free
                kvm.usersCount.decrementAndGet(); // kvm_put_kvm_no_destroy
                arch.vcpuDestroy(vcpu);
                freeVcpu(vcpu);
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
    private long setMemoryRegion(K kvm, KvmUserspaceMemoryRegion mem) {
        int valid = KvmUserspaceMemoryRegion.KVM_MEM_LOG_DIRTY_PAGES | KvmUserspaceMemoryRegion.KVM_MEM_READONLY;
        if ((mem.flags & ~valid) != 0) {
            return EINVAL;
        }
        long pageMask = arch.pageSize() - 1;
        if ((mem.memorySize & pageMask) != 0 || (mem.guestPhysAddr & pageMask) != 0) {
            return EINVAL;
        }
        if (mem.slot < 0 || mem.slot >= arch.userMemSlots() || mem.memorySize < 0 || mem.guestPhysAddr < 0
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
            if (old != null && (old.size != mem.memorySize
                    || ((mem.flags ^ old.flags) & KvmUserspaceMemoryRegion.KVM_MEM_READONLY) != 0)) {
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
            KvmMemorySlot[] rest = old == null ? slots : without(slots, old);
            KvmMemorySlot[] next = Arrays.copyOf(rest, rest.length + 1);
            next[rest.length] = slot;
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

    /**
     * kvm_vcpu_fops. Its ioctl is kvm_vcpu_ioctl() itself, as unlocked_ioctl is in C, not a
     * wrapper calling it: every KVM_RUN goes through here, and C2 stops inlining at
     * MaxInlineLevel, which the PIO exit path's kvm_run writes reach.
     */
    private final class VcpuFops implements FileOperations {
        /** kvm_vcpu_ioctl(): one ioctl at a time per vCPU; unknown numbers go to kvm_arch_vcpu_ioctl(). */
        @Override
        public long ioctl(OpenFile file, int cmd, Object arg) {
            V vcpu = vcpu(file);
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
                    return isZero(arg) ? arch.vcpuIoctlRun(vcpu) : EINVAL;
                } else if (cmd == KVM_GET_REGS) {
                    return arch.getRegs(vcpu, arg);
                } else if (cmd == KVM_SET_REGS) {
                    return arch.setRegs(vcpu, arg);
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
                return arch.vcpuIoctl(vcpu, cmd, arg);
            } finally {
                vcpu.mutex.unlock();
            }
        }

        @Override
        public void release(OpenFile file) {
            putKvm(vcpu(file).kvm);
        }
    }
}
