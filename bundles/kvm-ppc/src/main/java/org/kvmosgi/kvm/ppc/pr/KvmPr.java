package org.kvmosgi.kvm.ppc.pr;

import static org.kvmosgi.kernel.api.host.CpuFlags.ARCH_3_00;
import static org.kvmosgi.kernel.api.host.CpuFlags.RADIX;

import org.kvmosgi.kernel.api.Allocation;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kvm.ppc.api.KvmPpcVcpu;
import org.kvmosgi.kvm.ppc.api.KvmPpcVm;
import org.kvmosgi.kvm.ppc.api.KvmppcOps;
import org.kvmosgi.kvm.ppc.api.MmioAccess;
import org.kvmosgi.kvm.ppc.api.OpsSlot;
import org.kvmosgi.kvm.ppc.api.PpcKvm;
import org.kvmosgi.kvm.ppc.hw.GuestRun;

/**
 * book3s_pr.c: kvmppc_book3s_init_pr()/kvmppc_book3s_exit_pr() and kvm_ops_pr. PR KVM
 * runs the guest in problem state and shadows its MMU; it cannot work where the host uses
 * radix translation.
 */
public final class KvmPr implements KvmppcOps {
    public static final String[] STEPS = {"kvmppc_mmu_hpte_sysinit", "kvmppc_core_init_vm_pr"};
    private static final int ENOMEM = Errno.ENOMEM.neg();

    private final ModuleContext ctx;
    private final OpsSlot slot;
    private final MmioAccess mmio;
    private Allocation hpteCache;

    public KvmPr(ModuleContext ctx, OpsSlot slot, MmioAccess mmio) {
        this.ctx = ctx;
        this.slot = slot;
        this.mmio = mmio;
    }

    /**
     * kvmppc_book3s_init_pr(). Linux sets kvmppc_pr_ops before kvmppc_mmu_hpte_sysinit()
     * and leaves it set if that fails; the model sets it last, as the 2021 series did
     * for HV, so a failed kvm-pr never leaves kvm.ko pointing at freed code.
     */
    public int init() {
        int r = checkProcessorCompat();
        if (r < 0) {
            return r;
        }
        r = ctx.step("kvmppc_mmu_hpte_sysinit", this::mmuHpteSysinit);
        if (r != 0) {
            return r;
        }
        slot.set(this);
        return 0;
    }

    /** kvmppc_book3s_exit_pr(): the ops pointer, then the hpte cache. */
    public void exit() {
        slot.set(null);
        if (hpteCache != null) {
            hpteCache.free();
            hpteCache = null;
        }
    }

    /**
     * kvmppc_core_check_processor_compat_pr(): PR works on POWER9 only inside a partition
     * in HPT mode; radix gives a process no way to have its own translations in quadrant 3.
     */
    private int checkProcessorCompat() {
        var cpu = ctx.host().cpus().get(0);
        if (cpu.has(ARCH_3_00) && cpu.has(RADIX)) {
            return Errno.EIO.neg();
        }
        return 0;
    }

    /** kvmppc_mmu_hpte_sysinit(): the kmem cache of shadow HPTEs. */
    private int mmuHpteSysinit() {
        hpteCache = ctx.kernel().kmalloc("hpte_cache", 4096);
        return hpteCache == null ? ENOMEM : 0;
    }

    @Override
    public String owner() {
        return ctx.name();
    }

    @Override
    public int vmType() {
        return PpcKvm.KVM_VM_PPC_PR;
    }

    /** kvmppc_core_init_vm_pr(): the shadow page table state of the VM. */
    @Override
    public int initVm(KvmPpcVm kvm) {
        return ctx.step("kvmppc_core_init_vm_pr", () -> {
            Allocation a = ctx.kernel().kmalloc("kvm_arch (PR)", 4096);
            if (a == null) {
                return ENOMEM;
            }
            kvm.arch = a;
            return 0;
        });
    }

    @Override
    public void destroyVm(KvmPpcVm kvm) {
        if (kvm.arch instanceof Allocation a) {
            a.free();
            kvm.arch = null;
        }
    }

    /** kvmppc_core_vcpu_create_pr(): the shadow vCPU; PAPR stays off until user space enables it. */
    @Override
    public int vcpuCreate(KvmPpcVcpu vcpu) {
        Allocation svcpu = ctx.kernel().kmalloc("kvmppc_book3s_shadow_vcpu", 2048);
        if (svcpu == null) {
            return ENOMEM;
        }
        vcpu.arch = svcpu;
        return 0;
    }

    @Override
    public void vcpuFree(KvmPpcVcpu vcpu) {
        if (vcpu.arch instanceof Allocation a) {
            a.free();
            vcpu.arch = null;
        }
    }

    /** kvmppc_vcpu_run_pr(): {@code sc 1} is an hcall only for a PAPR guest. */
    @Override
    public int vcpuRun(KvmPpcVcpu vcpu) {
        return GuestRun.run(vcpu, mmio, vcpu.paprEnabled);
    }
}
