package org.kvmosgi.kvm.ppc.hv;

import static org.kvmosgi.kernel.api.host.CpuFlags.ARCH_3_00;
import static org.kvmosgi.kernel.api.host.CpuFlags.HVMODE;
import static org.kvmosgi.kernel.api.host.CpuFlags.RADIX;
import static org.kvmosgi.kernel.api.host.CpuFlags.TLBIE;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;
import org.kvmosgi.kernel.api.Allocation;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.host.Host;
import org.kvmosgi.kvm.ppc.api.KvmPpcVcpu;
import org.kvmosgi.kvm.ppc.api.KvmPpcVm;
import org.kvmosgi.kvm.ppc.api.KvmppcOps;
import org.kvmosgi.kvm.ppc.api.MmioAccess;
import org.kvmosgi.kvm.ppc.api.OpsSlot;
import org.kvmosgi.kvm.ppc.api.PpcKvm;
import org.kvmosgi.kvm.ppc.hw.GuestRun;

/**
 * book3s_hv.c: kvmppc_book3s_init_hv()/kvmppc_book3s_exit_hv() and kvm_ops_hv. The init
 * follows Linux after Fabiano Rosas's 2021 series (v5.18): radix init's error is checked,
 * the ops pointer is set last, and what was allocated is freed when a later step fails.
 * Each step runs through {@link ModuleContext#step}, so fail_function can break any of them.
 *
 * <p>A bundle built with another version's init (kvm-hv-legacy: {@code hv.v517}) passes it as
 * an {@link InitOrder}, composed of the same steps.
 */
public final class KvmHv implements KvmppcOps {
    /** The init and VM steps fail_function can break, in init order. */
    public static final String[] STEPS = {"kvmhv_nested_init", "kvm_init_subcore_bitmap", "kvmppc_mmu_hv_init",
        "kvmppc_radix_init", "kvmppc_uvmem_init", "kvmppc_core_init_vm_hv"};
    /** POWER8 cores have 8 threads. */
    private static final int THREADS_PER_CORE = 8;
    private static final int ENODEV = Errno.ENODEV.neg(), ENOMEM = Errno.ENOMEM.neg(), EPERM = Errno.EPERM.neg();

    private final ModuleContext ctx;
    private final OpsSlot slot;
    private final MmioAccess mmio;
    /** Another kernel version's init, when the bundle was built with one (kvm-hv-legacy); null: v5.18's. */
    private final InitOrder initOrder;
    /** Set when the module's memory is gone (failed init or unload): kvm_ops_hv went with it. */
    private volatile boolean freed;
    /** What init allocated, newest first: the error path and exit free it in reverse. */
    private final Deque<Allocation> allocated = new ArrayDeque<>();
    private Allocation pseriesPartitionTable;
    private final List<Allocation> subcoreState = new ArrayList<>();
    private Allocation lpidBitmap;
    private Allocation ptePmdCaches;
    private BitSet lpids;
    private int nrLpids;

    public KvmHv(ModuleContext ctx, OpsSlot slot, MmioAccess mmio) {
        this(ctx, slot, mmio, null);
    }

    /** @param initOrder another kernel version's kvmppc_book3s_init_hv(), or null for v5.18's */
    public KvmHv(ModuleContext ctx, OpsSlot slot, MmioAccess mmio, InitOrder initOrder) {
        this.ctx = ctx;
        this.slot = slot;
        this.mmio = mmio;
        this.initOrder = initOrder;
    }

    /**
     * kvmppc_book3s_init_hv() of another kernel version, built into the bundle instead of
     * v5.18's (as an older book3s_hv.c would be): it calls the same steps in its own order.
     */
    public interface InitOrder {
        int init(KvmHv hv);
    }

    // the steps and facts an InitOrder composes, each exactly what v5.18's init runs

    /** tlbie_capable, with its message when not. */
    public boolean tlbieCapable() {
        if (!host().allCpusHave(TLBIE)) {
            ctx.log("").err("KVM-HV: Host does not support TLBIE");
            return false;
        }
        return true;
    }

    /** kvmppc_core_check_processor_compat_hv() on the CPU running init. */
    public boolean processorCompatible() {
        return checkProcessorCompat() == 0;
    }

    public boolean radixOn() {
        return radixEnabled();
    }

    public boolean radixIsPossible() {
        return radixPossible();
    }

    /** Runs the init step {@code name} (one of {@link #STEPS}) as a fail_function point. */
    public int step(String name) {
        return switch (name) {
            case "kvmhv_nested_init" -> ctx.step(name, this::nestedInit);
            case "kvm_init_subcore_bitmap" -> ctx.step(name, this::initSubcoreBitmap);
            case "kvmppc_mmu_hv_init" -> ctx.step(name, this::mmuHvInit);
            case "kvmppc_radix_init" -> ctx.step(name, this::radixInit);
            case "kvmppc_uvmem_init" -> ctx.step(name, this::uvmemInit);
            default -> throw new IllegalArgumentException("not an init step of kvm_hv: " + name);
        };
    }

    /** kvmppc_hv_ops = &kvm_ops_hv. */
    public void setOps() {
        slot.set(this);
    }

    public ModuleContext context() {
        return ctx;
    }

    /**
     * The loader freed this module (its init failed, or it was unloaded): kvm_ops_hv was in
     * its memory. A caller still holding the pointer faults, as Linux's would.
     */
    public void moduleFreed() {
        freed = true;
    }

    /** An access to kvm_ops_hv: a use after free once the module is gone. */
    private void reach(String field) {
        if (freed) {
            throw new IllegalStateException("Unable to handle kernel paging request: kvm_ops_hv." + field
                    + " of module " + ctx.name() + ", freed after its init failed or it was unloaded");
        }
    }

    private Host host() {
        return ctx.host();
    }

    private boolean radixEnabled() {
        return host().allCpusHave(RADIX);
    }

    /** kvmhv_on_pseries(): not in hypervisor mode means running as a PAPR guest. */
    private boolean onPseries() {
        return !host().cpus().get(0).has(HVMODE);
    }

    // ---------------------------------------------------------------- init / exit

    /** kvmppc_book3s_init_hv(). */
    public int init() {
        if (initOrder != null) {
            return initOrder.init(this);
        }
        if (!host().allCpusHave(TLBIE)) {
            ctx.log("").err("KVM-HV: Host does not support TLBIE");
            return ENODEV;
        }
        // Linux's FIXME: only the CPU running init is checked
        if (checkProcessorCompat() < 0) {
            return ENODEV;
        }
        int r = ctx.step("kvmhv_nested_init", this::nestedInit);
        if (r != 0) {
            return r;
        }
        if (!radixEnabled()) {
            r = ctx.step("kvm_init_subcore_bitmap", this::initSubcoreBitmap);
            if (r != 0) {
                return fail(r);
            }
        }
        r = ctx.step("kvmppc_mmu_hv_init", this::mmuHvInit);
        if (r != 0) {
            return fail(r);
        }
        if (radixPossible()) {
            // unchecked before v5.18 ("Check return value of kvmppc_radix_init")
            r = ctx.step("kvmppc_radix_init", this::radixInit);
            if (r != 0) {
                return fail(r);
            }
        }
        r = ctx.step("kvmppc_uvmem_init", this::uvmemInit);
        if (r < 0) {
            ctx.log("").err("KVM-HV: kvmppc_uvmem_init failed %d", r);
            return fail(r);
        }
        // Last: user space can reach these ops through kvm.ko as soon as they are set
        // ("Delay setting of kvm ops").
        slot.set(this);
        return 0;
    }

    /** The error path: everything allocated so far goes ("Free allocated memory if module init fails"). */
    private int fail(int r) {
        freeAll();
        return r;
    }

    /** kvmppc_book3s_exit_hv(): uvmem, radix, then the ops pointer, then nested. */
    public void exit() {
        // uvmem: nothing held without an ultravisor
        free(ptePmdCaches);
        ptePmdCaches = null;
        slot.set(null);
        freeAll();
    }

    private void freeAll() {
        while (!allocated.isEmpty()) {
            allocated.pop().free();
        }
        pseriesPartitionTable = null;
        subcoreState.clear();
        lpidBitmap = null;
        ptePmdCaches = null;
        lpids = null;
    }

    private void free(Allocation a) {
        if (a != null && allocated.remove(a)) {
            a.free();
        }
    }

    private Allocation alloc(String what, long size) {
        Allocation a = ctx.kernel().kmalloc(what, size);
        if (a != null) {
            allocated.push(a);
        }
        return a;
    }

    /**
     * kvmppc_core_check_processor_compat_hv(): hypervisor mode on POWER7 or later, or a
     * POWER9 in radix mode, which can be a nested hypervisor.
     */
    private int checkProcessorCompat() {
        var cpu = host().cpus().get(0);
        if (cpu.has(HVMODE)) {
            return 0;
        }
        if (cpu.has(ARCH_3_00) && cpu.has(RADIX)) {
            return 0;
        }
        return Errno.EIO.neg();
    }

    /** kvmhv_nested_init(): on a PAPR guest, hand the parent hypervisor a partition table. */
    private int nestedInit() {
        if (!onPseries()) {
            return 0;
        }
        if (!radixEnabled()) {
            return ENODEV;
        }
        int ptbOrder = 12;
        pseriesPartitionTable = alloc("pseries_partition_tb", 16L << ptbOrder);
        if (pseriesPartitionTable == null) {
            ctx.log("").err("kvm-hv: failed to allocated nested partition table");
            return ENOMEM;
        }
        long rc = hSetPartitionTable();
        if (rc != PpcKvm.H_SUCCESS) {
            ctx.log("").err("kvm-hv: Parent hypervisor does not support nesting (rc=%d)", rc);
            free(pseriesPartitionTable);
            pseriesPartitionTable = null;
            return ENODEV;
        }
        return 0;
    }

    /** plpar_hcall_norets(H_SET_PARTITION_TABLE): H_FUNCTION unless the LPAR runs in KVM mode. */
    private long hSetPartitionTable() {
        return host().allCpusHave(PpcKvm.FLAG_PAPR_NESTED) ? PpcKvm.H_SUCCESS : PpcKvm.H_FUNCTION;
    }

    /** kvm_init_subcore_bitmap(): per-core subcore state for HPT hosts. */
    private int initSubcoreBitmap() {
        int cores = (host().cpus().size() + THREADS_PER_CORE - 1) / THREADS_PER_CORE;
        for (int i = 0; i < cores; i++) {
            Allocation a = alloc("sibling_subcore_state", 64);
            if (a == null) {
                return ENOMEM;
            }
            subcoreState.add(a);
        }
        return 0;
    }

    /** kvmppc_mmu_hv_init(): the LPID allocator (LPID 0 is the host's). */
    private int mmuHvInit() {
        // 1 << mmu_lpid_bits in hypervisor mode, 1 << KVM_MAX_NESTED_GUESTS_SHIFT nested: 12 bits either way
        nrLpids = 1 << 12;
        if (!host().cpus().get(0).has(ARCH_3_00)) {
            nrLpids -= 1; // the last LPID is reserved for partition switching on POWER7/8
        }
        lpidBitmap = alloc("lpid_inuse", nrLpids / 8);
        if (lpidBitmap == null) {
            return ENOMEM;
        }
        lpids = new BitSet(nrLpids);
        lpids.set(0);
        return 0;
    }

    /** kvmppc_radix_possible(). */
    private boolean radixPossible() {
        return host().cpus().get(0).has(ARCH_3_00) && radixEnabled();
    }

    /** kvmppc_radix_init(): the kvm-pte and kvm-pmd caches. */
    private int radixInit() {
        ptePmdCaches = alloc("kvm-pte/kvm-pmd caches", 2 * 4096);
        return ptePmdCaches == null ? ENOMEM : 0;
    }

    /** kvmppc_uvmem_init(): nothing to do without an ultravisor (no "ibm,uv-firmware" node). */
    private int uvmemInit() {
        return 0;
    }

    // ---------------------------------------------------------------- kvm_ops_hv

    /** kvm_ops_hv.owner (THIS_MODULE). */
    @Override
    public String owner() {
        reach("owner");
        return ctx.name();
    }

    @Override
    public int vmType() {
        return PpcKvm.KVM_VM_PPC_HV;
    }

    /** Per-VM state (kvm->arch) and the radix page table. */
    private record VmArch(Allocation arch, Allocation pgtable) {}

    /** kvmppc_core_init_vm_hv(): an LPID, then kvm->arch and (radix) the partition-scoped page table. */
    @Override
    public int initVm(KvmPpcVm kvm) {
        reach("init_vm");
        return ctx.step("kvmppc_core_init_vm_hv", () -> {
            int lpid;
            synchronized (this) {
                lpid = lpids.nextClearBit(1);
                if (lpid >= nrLpids) {
                    return ENOMEM;
                }
                lpids.set(lpid);
            }
            Allocation arch = ctx.kernel().kmalloc("kvm_arch (HV)", 4096);
            Allocation pgtable = radixEnabled() && arch != null ? ctx.kernel().kmalloc("radix pgtable", 65536) : null;
            if (arch == null || (radixEnabled() && pgtable == null)) {
                if (arch != null) {
                    arch.free();
                }
                releaseLpid(lpid);
                return ENOMEM;
            }
            kvm.lpid = lpid;
            kvm.arch = new VmArch(arch, pgtable);
            return 0;
        });
    }

    private synchronized void releaseLpid(int lpid) {
        if (lpids != null) {
            lpids.clear(lpid);
        }
    }

    @Override
    public void destroyVm(KvmPpcVm kvm) {
        if (kvm.arch instanceof VmArch a) {
            if (a.pgtable() != null) {
                a.pgtable().free();
            }
            a.arch().free();
            kvm.arch = null;
        }
        releaseLpid(kvm.lpid);
    }

    /** kvmppc_core_vcpu_create_hv(): the vCPU's virtual core. */
    @Override
    public int vcpuCreate(KvmPpcVcpu vcpu) {
        Allocation vcore = ctx.kernel().kmalloc("kvmppc_vcore", 1024);
        if (vcore == null) {
            return ENOMEM;
        }
        vcpu.arch = vcore;
        vcpu.paprEnabled = true;
        return 0;
    }

    @Override
    public void vcpuFree(KvmPpcVcpu vcpu) {
        if (vcpu.arch instanceof Allocation a) {
            a.free();
            vcpu.arch = null;
        }
    }

    /** kvmppc_vcpu_run_hv(): HV guests are PAPR guests; every hcall not handled here goes to user space. */
    @Override
    public int vcpuRun(KvmPpcVcpu vcpu) {
        return GuestRun.run(vcpu, mmio, true);
    }

    /** kvmppc_hash_v3_possible(): POWER9 in hypervisor mode. */
    @Override
    public boolean hashV3Possible() {
        var cpu = host().cpus().get(0);
        return cpu.has(ARCH_3_00) && cpu.has(HVMODE);
    }

    /** kvmhv_enable_nested(): the "nested" parameter, POWER9, radix. */
    @Override
    public int enableNested(KvmPpcVm kvm) {
        if (!ctx.params().bool("nested")) {
            return EPERM;
        }
        if (!host().cpus().get(0).has(ARCH_3_00) || !radixEnabled()) {
            return ENODEV;
        }
        return 0;
    }
}
