package org.kvmosgi.kvm.ppc.book3s;

import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.kvmosgi.kvm.api.KvmStat;
import org.kvmosgi.kvm.api.dispatch.Dispatch;
import org.kvmosgi.kvm.api.dispatch.StaticCall;
import org.kvmosgi.kvm.ppc.api.KvmPpcVcpu;
import org.kvmosgi.kvm.ppc.api.KvmppcOps;
import org.kvmosgi.kvm.ppc.api.OpsSlot;
import org.kvmosgi.kvm.ppc.api.PpcKvm;

/**
 * kvm.ko's calls into kvm-hv and kvm-pr that the dispatch style decides: the exit path's
 * {@code vcpu_run} (once per KVM_RUN) and the optional {@code hash_v3_possible}. Each
 * goes the way {@code kvm.dispatch=} chose at boot:
 * <ul>
 * <li>{@link Dispatch#OPS} (Linux's Book3S): {@code kvm->arch.kvm_ops->vcpu_run(vcpu)}, the
 * VM's ops pointer read and called, one indirect call counted in the vCPU's
 * {@code indirect_calls};
 * <li>{@link Dispatch#STATIC_CALL}: one patched site per ops pointer and op
 * ({@code kvmppc_hv_ops.vcpu_run}, {@code kvmppc_pr_ops.vcpu_run}), updated when kvm-hv or
 * kvm-pr sets its pointer and unpatched when it clears it; a VM's type picks one of the two
 * (a branch, no indirect call). {@code hash_v3_possible}, which only HV has, is a
 * {@code DEFINE_STATIC_CALL_RET0}: {@code __static_call_return0} while no HV is loaded, so
 * Linux's "pointer set and op set and op()" test is one call;
 * <li>{@link Dispatch#DIRECT}: the unified layout's direct calls of the built-in HV and PR.
 * </ul>
 * static_call_cond (an absent void op becoming nothing) has no site here: the one optional
 * void op kvm.ko calls on Book3S's exit path, {@code giveup_ext} (PR sets it, HV leaves it
 * NULL), is called only for a floating-point or vector register, from
 * kvmppc_complete_mmio_load (an MMIO load into an FPR/VSX/VMX register) and
 * kvmppc_emulate_loadstore (STORE_FP and the vector stores); the model emulates MMIO loads
 * and stores of GPRs only. x86's cancel_hv_timer shows the variant. The lifecycle ops
 * (init_vm, vcpu_create, ...) go through the VM's ops pointer in every style, as x86's go
 * through kvm_x86_ops; kvmppc_handle_load/store are exports the vendor calls directly.
 */
public final class KvmppcCalls {
    /** Linux's Book3S calls through its kvmppc_ops pointers (it has no static_call): the split layout's default. */
    public static final Dispatch DEFAULT = Dispatch.OPS;

    private static final String HV_VCPU_RUN = "kvmppc_vcpu_run_hv", PR_VCPU_RUN = "kvmppc_vcpu_run_pr",
            HASH_V3_POSSIBLE = "kvmppc_hash_v3_possible";

    private final Dispatch style;
    private final OpsSlot hvOps;
    private final OpsSlot prOps;
    /** DIRECT: the built-in implementations these sites call; STATIC_CALL: the ops the next patch's class is defined over. */
    private KvmppcOps directHv;
    private KvmppcOps directPr;
    // STATIC_CALL: what /sys/kernel/debug/kvm/dispatch lists, and the patched sites
    private final StaticCall hvVcpuRun = new StaticCall("kvmppc_hv_ops.vcpu_run");
    private final StaticCall prVcpuRun = new StaticCall("kvmppc_pr_ops.vcpu_run");
    private final StaticCall hvHashV3Possible = new StaticCall("kvmppc_hv_ops.hash_v3_possible");
    /**
     * The hidden class of the last patch's targets; null while neither pointer is set, or
     * patched and not called yet ({@link #patchNow}).
     */
    private StaticCallSites sites;
    /** STATIC_CALL: StaticCallTemplate's class file, read at the first patch this core defines. */
    private StaticCall.Template<StaticCallSites> template;

    /** The sites of one kvm load, following the two ops pointers from now on. */
    public KvmppcCalls(Dispatch style, OpsSlot hvOps, OpsSlot prOps) {
        this.style = style;
        this.hvOps = hvOps;
        this.prOps = prOps;
        hvHashV3Possible.updateOptional(false, null, false);
        hvOps.onSet(this::hvSet);
        prOps.onSet(this::prSet);
        if (hvOps.get() != null) {
            hvSet(hvOps.get());
        }
        if (prOps.get() != null) {
            prSet(prOps.get());
        }
    }

    public Dispatch style() {
        return style;
    }

    /** kvmppc_hv_ops set (ops) or cleared (null): static_call_update or unpatch. */
    private void hvSet(KvmppcOps ops) {
        directHv = ops;
        if (style == Dispatch.STATIC_CALL) {
            patch();
            if (ops != null) {
                hvVcpuRun.update(HV_VCPU_RUN);
            } else {
                hvVcpuRun.unpatch();
            }
            hvHashV3Possible.updateOptional(ops != null, HASH_V3_POSSIBLE, false);
        }
    }

    private void prSet(KvmppcOps ops) {
        directPr = ops;
        if (style == Dispatch.STATIC_CALL) {
            patch();
            if (ops != null) {
                prVcpuRun.update(PR_VCPU_RUN);
            } else {
                prVcpuRun.unpatch();
            }
        }
    }

    /**
     * The sites from now on: both pointers' ops as they are now. Their class is defined at
     * the first call after ({@link #patchNow}), so a module load that no vCPU runs under
     * defines none.
     */
    private synchronized void patch() {
        sites = null;
    }

    /**
     * The first call after a patch: the hidden class over both pointers' ops (in
     * StaticCallTemplate's order) defined, once, whichever vCPU thread gets here first.
     * With neither pointer set a call BUGs ({@code site}), or, for a _RET0 site
     * ({@code site} null), there are no sites.
     */
    private synchronized StaticCallSites patchNow(String site) {
        if (sites == null) {
            if (directHv == null && directPr == null) {
                if (site == null) {
                    return null;
                }
                throw StaticCall.bug(site);
            }
            if (template == null) {
                template = StaticCall.template(MethodHandles.lookup(), "StaticCallTemplate", StaticCallSites.class);
            }
            sites = template.patch(Arrays.asList(directHv, directPr));
        }
        return sites;
    }

    /** kvmppc_vcpu_run(): the VM's implementation runs the guest. */
    int vcpuRun(KvmPpcVcpu vcpu) {
        boolean hv = vcpu.kvm.type == PpcKvm.KVM_VM_PPC_HV;
        if (style == Dispatch.STATIC_CALL) {
            // a VM exists only with its module's ops set: the sites were patched for it
            StaticCallSites s = sites;
            if (s == null) {
                s = patchNow(hv ? "kvmppc_hv_ops.vcpu_run" : "kvmppc_pr_ops.vcpu_run");
            }
            return hv ? s.hvVcpuRun(vcpu) : s.prVcpuRun(vcpu);
        }
        if (style == Dispatch.OPS) {
            vcpu.stat[KvmStat.INDIRECT_CALLS]++;
            return vcpu.kvm.ops.vcpuRun(vcpu);
        }
        return hv ? directHv.vcpuRun(vcpu) : directPr.vcpuRun(vcpu);
    }

    /** kvmppc_hv_ops-&gt;hash_v3_possible(), false without HV. */
    boolean hvHashV3Possible() {
        if (style == Dispatch.STATIC_CALL) {
            StaticCallSites s = sites;
            if (s == null) {
                s = patchNow(null); // unpatched: __static_call_return0
            }
            return s != null && s.hvHashV3Possible();
        }
        KvmppcOps hv = style == Dispatch.DIRECT ? directHv : hvOps.get();
        return hv != null && hv.hashV3Possible();
    }

    /**
     * What {@code /sys/kernel/debug/kvm/dispatch} shows: the style and the ops pointers'
     * owners, then one line per call site, {@code site style target}.
     */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add("dispatch: " + style.param + " (kvmppc_hv_ops " + owner(hvOps) + ", kvmppc_pr_ops " + owner(prOps) + ")");
        boolean hv = hvOps.get() != null, pr = prOps.get() != null;
        site(out, hvVcpuRun, hv ? HV_VCPU_RUN : StaticCall.NULL);
        site(out, prVcpuRun, pr ? PR_VCPU_RUN : StaticCall.NULL);
        site(out, hvHashV3Possible, hv ? HASH_V3_POSSIBLE : StaticCall.NULL);
        // exports: the module loader links the vendor's calls to them, direct in every style
        out.add(String.format("%-32s %-12s %s", PpcKvm.KVMPPC_HANDLE_LOAD, "export", PpcKvm.KVMPPC_HANDLE_LOAD));
        out.add(String.format("%-32s %-12s %s", PpcKvm.KVMPPC_HANDLE_STORE, "export", PpcKvm.KVMPPC_HANDLE_STORE));
        return out;
    }

    private void site(List<String> out, StaticCall c, String loaded) {
        String target = style == Dispatch.STATIC_CALL ? c.target() : loaded;
        out.add(String.format("%-32s %-12s %s", c.name, style.param, target));
    }

    private static String owner(OpsSlot slot) {
        String name = slot.name();
        return name.isEmpty() ? StaticCall.NULL : name;
    }
}
