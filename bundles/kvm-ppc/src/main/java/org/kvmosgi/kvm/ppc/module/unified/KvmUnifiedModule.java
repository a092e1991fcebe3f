package org.kvmosgi.kvm.ppc.module.unified;

import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.modinfo.Module;
import org.kvmosgi.kernel.api.modinfo.Param;
import org.kvmosgi.kernel.api.modinfo.ParamType;
import org.kvmosgi.kvm.api.dispatch.Dispatch;
import org.kvmosgi.kvm.ppc.book3s.Book3sCore;
import org.kvmosgi.kvm.ppc.hv.KvmHv;
import org.kvmosgi.kvm.ppc.pr.KvmPr;

/**
 * The unified kvm.ko of Fabiano Rosas's 2021 proposal (not merged): HV and PR are built
 * into kvm itself as Kconfig chooses, kvm-hv and kvm-pr stay as aliases, and nothing is
 * exported. kvm's init runs the built-in implementations first and registers /dev/kvm
 * only if at least one works; otherwise the load fails and nothing stays: there is no
 * "kvm alone" state. The price: every built-in implementation is loaded (and its size
 * counted) whether the host or the user needs it or not.
 *
 * <p>When one built-in implementation fails and the other works, the load succeeds without
 * the failed one (on POWER9 PR always fails, radix; an HV+PR build that failed there would
 * not load at all). In the split layout that failure is {@code modprobe kvm_hv}'s own
 * error; here {@code modprobe kvm_hv} (an alias of kvm) succeeds, so kvm says in the log
 * which implementation it runs without ({@link #UNAVAILABLE}), the one place the error can
 * still reach user space; diag's {@code why vm} reads it from the load's messages.
 */
@Module(name = "kvm", license = "GPL", author = "Qumranet", initcall = "kvmppc_book3s_init",
        description = "Kernel-based Virtual Machine (KVM) Hypervisor",
        alias = {"kvm_hv", "kvm_pr"},
        steps = {"kvmhv_nested_init", "kvm_init_subcore_bitmap", "kvmppc_mmu_hv_init", "kvmppc_radix_init",
            "kvmppc_uvmem_init", "kvmppc_core_init_vm_hv", "kvmppc_mmu_hpte_sysinit", "kvmppc_core_init_vm_pr",
            "kvm_arch_alloc_vm", "kvm_arch_init_vm", "kvm_enable_virtualization", "anon_inode_getfile",
            "kvm_vcpu_cache_alloc", "kvm_run_page_alloc", "kvm_arch_vcpu_create", "create_vcpu_fd"})
@Param(name = "halt_poll_ns", type = ParamType.UINT, defaultValue = "10000", perm = "0644")
@Param(name = "halt_poll_ns_grow", type = ParamType.UINT, defaultValue = "2", perm = "0644")
@Param(name = "halt_poll_ns_grow_start", type = ParamType.UINT, defaultValue = "10000", perm = "0644")
@Param(name = "halt_poll_ns_shrink", type = ParamType.UINT, defaultValue = "2", perm = "0644")
@Param(name = "nested", type = ParamType.BOOL, defaultValue = "Y", perm = "0644",
        description = "Enable nested virtualization (only on POWER9)")
@Param(name = "dynamic_mt_modes", type = ParamType.INT, defaultValue = "6", perm = "0644",
        description = "Set of allowed dynamic micro-threading modes: 0 (= none), 2, 4, or 6 (= 2 or 4)")
@Param(name = "target_smt_mode", type = ParamType.INT, defaultValue = "0", perm = "0644",
        description = "Target threads per core (0 = max)")
@Param(name = "indep_threads_mode", type = ParamType.BOOL, defaultValue = "Y", perm = "0644",
        description = "Independent-threads mode (only on POWER9)")
@Param(name = "one_vm_per_core", type = ParamType.BOOL, defaultValue = "N", perm = "0644",
        description = "Only run vCPUs from the same VM on a core (requires POWER8 or older)")
public class KvmUnifiedModule extends KernelModule {
    /**
     * Printed (pr_fmt "kvm: ") when a built-in implementation failed and the load goes on
     * with the other: {@code kvm: Book3S HV unavailable (error -22), running PR only}. The
     * proposal did not say; this is the model's reading, and diag matches the text.
     */
    public static final String UNAVAILABLE = "Book3S %s unavailable (error %d), running %s only";

    /** One built-in implementation; its own class so a variant built without it never loads its code. */
    interface Part {
        int init();

        void exit();
    }

    private static final class HvPart implements Part {
        private final KvmHv hv;

        HvPart(ModuleContext ctx, Book3sCore core) {
            hv = new KvmHv(ctx, core.hvOps, core);
        }

        @Override
        public int init() {
            return hv.init();
        }

        @Override
        public void exit() {
            hv.exit();
        }
    }

    private static final class PrPart implements Part {
        private final KvmPr pr;

        PrPart(ModuleContext ctx, Book3sCore core) {
            pr = new KvmPr(ctx, core.prOps, core);
        }

        @Override
        public int init() {
            return pr.init();
        }

        @Override
        public void exit() {
            pr.exit();
        }
    }

    private final Kconfig config;
    private Book3sCore core;
    private Part hv;
    private Part pr;

    /** The bundle's packed configuration (bnd puts it in each variant). */
    public KvmUnifiedModule() {
        this(Kconfig.packed(KvmUnifiedModule.class));
    }

    /** A given configuration (unit tests build every variant from one class path). */
    public KvmUnifiedModule(Kconfig config) {
        this.config = config;
    }

    public Kconfig config() {
        return config;
    }

    /** kvmppc_book3s_init() of the proposal: the built-in implementations, then kvm_init() last. */
    @Override
    public int init(ModuleContext ctx) {
        if (config == null) {
            ctx.log().err("no %s in the module: it was built without a configuration", Kconfig.RESOURCE);
            return Errno.ENOEXEC.neg();
        }
        core = new Book3sCore(ctx, Dispatch.DIRECT); // HV and PR are linked in: direct calls
        int r = Errno.ENODEV.neg();
        int rp = 0;
        if (config.hv()) {
            Part p = new HvPart(ctx, core);
            r = p.init();
            hv = r == 0 ? p : null;
        }
        if (config.pr()) {
            Part p = new PrPart(ctx, core);
            rp = p.init();
            pr = rp == 0 ? p : null;
            if (!config.hv()) {
                r = rp;
            }
        }
        if (hv == null && pr == null) {
            // No working implementation: fail the load rather than leave /dev/kvm behind.
            // The errno is HV's when HV is built in (the implementation type 0 prefers).
            core = null;
            return r;
        }
        int failed = hv == null ? r : rp;
        r = core.kvmInit();
        if (r != 0) {
            exitParts();
            core = null;
        } else if (hv == null && config.hv()) {
            ctx.log().info(UNAVAILABLE, "HV", failed, "PR");
        } else if (pr == null && config.pr()) {
            ctx.log().info(UNAVAILABLE, "PR", failed, "HV");
        }
        return r;
    }

    /** kvmppc_book3s_exit(): /dev/kvm first, then the implementations. */
    @Override
    public void exit(ModuleContext ctx) {
        core.kvmExit();
        exitParts();
        core = null;
    }

    private void exitParts() {
        if (pr != null) {
            pr.exit();
            pr = null;
        }
        if (hv != null) {
            hv.exit();
            hv = null;
        }
    }

    /** Which implementations this load runs: "HV", "PR", "HV PR" (for tests and docs). */
    public String running() {
        return ((hv != null ? "HV " : "") + (pr != null ? "PR" : "")).strip();
    }
}
