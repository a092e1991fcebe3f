package org.kvmosgi.kvm.ppc.book3s;

import static org.kvmosgi.kvm.api.KvmIoctl.*;
import static org.kvmosgi.kvm.ppc.api.PpcKvm.*;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.IntSupplier;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.ModuleInstance;
import org.kvmosgi.kernel.api.host.CpuFlags;
import org.kvmosgi.kvm.api.KvmCap;
import org.kvmosgi.kvm.api.KvmEnableCap;
import org.kvmosgi.kvm.api.KvmExitReason;
import org.kvmosgi.kvm.api.KvmRunLayout;
import org.kvmosgi.kvm.api.KvmStat;
import org.kvmosgi.kvm.api.dispatch.Dispatch;
import org.kvmosgi.kvm.api.ppc.KvmPpcRegs;
import org.kvmosgi.kvm.ppc.api.GuestEndian;
import org.kvmosgi.kvm.ppc.api.KvmPpcVcpu;
import org.kvmosgi.kvm.ppc.api.KvmPpcVm;
import org.kvmosgi.kvm.ppc.api.KvmppcOps;
import org.kvmosgi.kvm.ppc.api.MmioAccess;
import org.kvmosgi.kvm.ppc.api.OpsSlot;
import org.kvmosgi.kvm.api.generic.KvmArch;
import org.kvmosgi.kvm.virt.KvmMain;

/**
 * kvm.ko on Book3S: powerpc.c's arch part of virt/kvm (the kvm_arch_* hooks of
 * {@link KvmMain}, which is the same source x86 packs) — the two plug-in pointers,
 * KVM_CREATE_VM's type dispatch, KVM_CHECK_EXTENSION, MMIO and hcall completion. Return
 * values follow the kernel: a result, or -errno.
 */
public final class Book3sCore implements MmioAccess, KvmArch<KvmPpcVm, KvmPpcVcpu> {
    private static final int EINVAL = Errno.EINVAL.neg(), EFAULT = Errno.EFAULT.neg(), ENOTTY = Errno.ENOTTY.neg(),
            ENOENT = Errno.ENOENT.neg(), EINTR = Errno.EINTR.neg();

    /** Who calls through kvm->arch.kvm_ops (innermost first), for the oops of a call into freed ops. */
    private static final List<String> VCPU_RUN_TRACE = List.of("kvmppc_vcpu_run", "kvm_arch_vcpu_ioctl_run",
            "kvm_vcpu_ioctl", "sys_ioctl", "system_call_exception", "system_call_vectored_common");
    private static final List<String> VCPU_CREATE_TRACE = List.of("kvmppc_core_vcpu_create", "kvm_arch_vcpu_create",
            "kvm_vm_ioctl", "sys_ioctl", "system_call_exception", "system_call_vectored_common");
    private static final List<String> VCPU_FREE_TRACE = List.of("kvmppc_core_vcpu_free", "kvm_arch_vcpu_destroy",
            "kvm_destroy_vcpus", "kvm_arch_destroy_vm", "kvm_put_kvm", "kvm_vm_release", "__fput", "task_work_run");
    private static final List<String> DESTROY_VM_TRACE = List.of("kvmppc_core_destroy_vm", "kvm_arch_destroy_vm",
            "kvm_put_kvm", "kvm_vm_release", "__fput", "task_work_run");

    /** kvmppc_hv_ops and kvmppc_pr_ops (powerpc.c). */
    public final OpsSlot hvOps;
    public final OpsSlot prOps;

    private final ModuleContext ctx;
    /** virt/kvm/kvm_main.c, with this class as its kvm_arch_* hooks. */
    private final KvmMain<KvmPpcVm, KvmPpcVcpu> main;
    /** The calls into HV and PR the dispatch style decides. */
    private final KvmppcCalls calls;

    /** A core with its own ops pointers (the unified layout: HV and PR built in). */
    public Book3sCore(ModuleContext ctx, Dispatch style) {
        this(ctx, new OpsSlot(KVMPPC_HV_OPS), new OpsSlot(KVMPPC_PR_OPS), style);
    }

    /** A core whose ops pointers are the given (exported) variables, calling through them in {@code style}. */
    public Book3sCore(ModuleContext ctx, OpsSlot hvOps, OpsSlot prOps, Dispatch style) {
        this.ctx = ctx;
        this.hvOps = hvOps;
        this.prOps = prOps;
        this.calls = new KvmppcCalls(style, hvOps, prOps);
        this.main = new KvmMain<>(ctx, this);
    }

    /** How this core calls HV and PR, and where each site points. */
    public KvmppcCalls calls() {
        return calls;
    }

    // ---------------------------------------------------------------- kvm_init / kvm_exit

    /**
     * kvm_init() as kvmppc_book3s_init() calls it: the vCPU cache, then /dev/kvm, last.
     * On Book3S this runs at kvm.ko's own init, whether or not HV or PR ever loads.
     */
    public int kvmInit() {
        return main.kvmInit(ctx.name());
    }

    /** kvm_exit(): /dev/kvm goes first. */
    public void kvmExit() {
        main.kvmExit();
    }

    // ---------------------------------------------------------------- kvm_arch_* hooks of virt/kvm

    @Override
    public int userMemSlots() {
        return KVM_USER_MEM_SLOTS;
    }

    @Override
    public int maxVcpus() {
        return KVM_MAX_VCPUS;
    }

    @Override
    public int pageSize() {
        return PAGE_SIZE;
    }

    @Override
    public int vcpuMmapSize() {
        return VCPU_MMAP_SIZE;
    }

    /**
     * kvm_vm_ioctl_check_extension() of powerpc.c (virt/kvm answers the generic part). Without a VM,
     * "HV" means kvm-hv is loaded, as in Linux; with one, the VM's kind decides.
     */
    @Override
    public long checkExtension(KvmPpcVm kvm, int ext) {
        KvmppcOps hv = hvOps.get();
        boolean hvEnabled = kvm != null ? kvm.type == KVM_VM_PPC_HV : hv != null;
        int cpus = ctx.host().cpus().size();
        switch (ext) {
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
                return hvEnabled && calls.hvHashV3Possible() ? 1 : 0;
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
     * KVM_CREATE_VM's type → the implementation (kvm_arch_init_vm() of powerpc.c): type 0
     * is HV if loaded, else PR; KVM_VM_PPC_HV and KVM_VM_PPC_PR ask for one; anything
     * else, or an implementation that is not loaded, is -EINVAL.
     */
    @Override
    public KvmPpcVm allocVm(long type, IntSupplier nextId) {
        KvmppcOps ops;
        if (type == 0) {
            ops = hvOps.get() != null ? hvOps.get() : prOps.get();
        } else if (type == KVM_VM_PPC_HV) {
            ops = hvOps.get();
        } else if (type == KVM_VM_PPC_PR) {
            ops = prOps.get();
        } else {
            return null;
        }
        if (ops == null) {
            return null;
        }
        KvmPpcVm kvm = new KvmPpcVm(nextId.getAsInt());
        kvm.ops = ops;
        kvm.type = ops.vmType();
        return kvm;
    }

    /**
     * kvmppc_core_init_vm(): the VM pins the module that runs it
     * (try_module_get(kvm_ops->owner), -ENOENT if it is going), and an init_vm failure
     * gives the pin back ("Decrement module refcount if init_vm fails", v5.18). The VM
     * keeps the instance it pinned: its ops are that instance's text.
     */
    @Override
    public int initVm(KvmPpcVm kvm) {
        KvmppcOps ops = kvm.ops;
        ModuleInstance owner = ctx.kernel().tryModuleGetInstance(ops.owner());
        if (owner == null) {
            return ENOENT;
        }
        kvm.opsModule = owner;
        int r = ops.initVm(kvm);
        if (r != 0) {
            ctx.kernel().modulePut(ops.owner());
        }
        return r;
    }

    /**
     * kvmppc_core_destroy_vm(), then the implementation's module pin goes. When that module
     * was freed, the call oopses and the task would die in it: the put never happens (the
     * pin was voided with the instance).
     */
    @Override
    public void destroyVm(KvmPpcVm kvm) {
        if (opsFreed(kvm, DESTROY_VM_TRACE)) {
            return;
        }
        kvm.ops.destroyVm(kvm);
        ctx.kernel().modulePut(kvm.ops.owner());
    }

    /** kvm_arch_dev_ioctl(): KVMOSGI_GET_DISPATCH, the model's /sys/kernel/debug/kvm/dispatch. */
    @Override
    @SuppressWarnings("unchecked")
    public long devIoctl(int cmd, Object arg) {
        if (cmd != KVMOSGI_GET_DISPATCH) {
            return EINVAL;
        }
        if (!(arg instanceof java.util.List)) {
            return EFAULT;
        }
        ((java.util.List<String>) arg).addAll(calls.lines());
        return 0;
    }

    /** kvm_arch_vm_ioctl(): kvm_vm_ioctl_enable_cap() knows none of the VM capabilities modelled; the rest -ENOTTY. */
    @Override
    public long vmIoctl(KvmPpcVm kvm, int cmd, Object arg) {
        if (cmd == KVM_ENABLE_CAP) {
            return arg instanceof KvmEnableCap ? EINVAL : EFAULT;
        }
        return ENOTTY;
    }

    // ---------------------------------------------------------------- vCPUs

    @Override
    public KvmPpcVcpu allocVcpu(KvmPpcVm kvm, int id) {
        return new KvmPpcVcpu(kvm, id);
    }

    @Override
    public int vcpuCreate(KvmPpcVcpu vcpu) {
        if (opsFreed(vcpu.kvm, VCPU_CREATE_TRACE)) {
            return EFAULT;
        }
        return vcpu.kvm.ops.vcpuCreate(vcpu);
    }

    @Override
    public void vcpuDestroy(KvmPpcVcpu vcpu) {
        if (opsFreed(vcpu.kvm, VCPU_FREE_TRACE)) {
            return;
        }
        vcpu.kvm.ops.vcpuFree(vcpu);
    }

    @Override
    public int getRegs(KvmPpcVcpu vcpu, Object regs) {
        if (!(regs instanceof KvmPpcRegs)) {
            return EFAULT;
        }
        getRegs(vcpu, (KvmPpcRegs) regs);
        return 0;
    }

    @Override
    public int setRegs(KvmPpcVcpu vcpu, Object regs) {
        if (!(regs instanceof KvmPpcRegs)) {
            return EFAULT;
        }
        setRegs(vcpu, (KvmPpcRegs) regs);
        return 0;
    }

    /** kvm_arch_vcpu_ioctl() of powerpc.c: KVM_ENABLE_CAP; the rest -EINVAL. */
    @Override
    public long vcpuIoctl(KvmPpcVcpu vcpu, int cmd, Object arg) {
        if (cmd == KVM_ENABLE_CAP) {
            if (!(arg instanceof KvmEnableCap)) {
                return EFAULT;
            }
            return enableCap(vcpu, (KvmEnableCap) arg);
        }
        return EINVAL;
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
    @Override
    public int vcpuIoctlRun(KvmPpcVcpu vcpu) {
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
        if (opsFreed(vcpu.kvm, VCPU_RUN_TRACE)) {
            return EFAULT;
        }
        return calls.vcpuRun(vcpu);
    }

    /**
     * Whether the VM's ops are freed text (their module was force-unloaded with the VM
     * open): then the call kvm.ko is about to make through kvm->arch.kvm_ops would fault
     * there, so this prints that oops, called from {@code callers}, and no module code runs,
     * neither the freed instance's nor a later load's. One read of the pinned instance's flag.
     */
    private boolean opsFreed(KvmPpcVm kvm, List<String> callers) {
        ModuleInstance owner = kvm.opsModule;
        if (!owner.freed()) {
            return false;
        }
        ctx.kernel().oopsInFreedText(owner, callers);
        return true;
    }

    /** kvmppc_complete_mmio_load(): kvm_run.mmio.data in the guest's byte order into the target GPR. */
    private static void completeMmioLoad(KvmPpcVcpu vcpu) {
        long v = GuestEndian.get(vcpu.run, KvmRunLayout.MMIO_DATA, vcpu.mmioBytes, GuestEndian.swapped(vcpu, vcpu.run));
        vcpu.gpr[vcpu.mmioRt] = !vcpu.mmioSignExtend ? v : switch (vcpu.mmioBytes) {
            case 1 -> (byte) v;
            case 2 -> (short) v;
            case 4 -> (int) v;
            default -> v;
        };
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
        GuestEndian.put(run, KvmRunLayout.MMIO_DATA, value, bytes, GuestEndian.swapped(vcpu, vcpu.run));
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
