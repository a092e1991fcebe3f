package org.kvmosgi.kvm.x86.core;

import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kvmosgi.kvm.api.KvmStat;
import org.kvmosgi.kvm.api.dispatch.Dispatch;
import org.kvmosgi.kvm.api.dispatch.StaticCall;
import org.kvmosgi.kvm.api.x86.KvmVcpu;
import org.kvmosgi.kvm.api.x86.KvmVm;
import org.kvmosgi.kvm.api.x86.KvmX86Ops;
import org.kvmosgi.kvm.api.x86.KvmX86OpsView;

/**
 * The installed kvm_x86_ops and every call site through them ({@code kvm_x86_call(op)}
 * in C): nothing else in the core calls a vendor op. {@link #update} is
 * kvm_ops_update(), {@link #clear} what kvm_x86_vendor_exit() and the compat-check
 * unwind do. Each site dispatches in the style chosen at boot ({@code kvm.dispatch=}):
 * <ul>
 * <li>{@link Dispatch#OPS}: a field read and an interface call, the function pointer of
 * kernels before 5.12; each call on the exit path counts one indirect call in the vCPU's
 * {@code indirect_calls};
 * <li>{@link Dispatch#STATIC_CALL}: the call sites patched at
 * kvm_ops_update() (static_call_update) and unpatched at vendor exit: a mandatory op
 * becomes a direct call of the vendor's function, an absent optional op nothing
 * (static_call_cond) or, for the _RET0 ones, a constant 0 (__static_call_return0). Each
 * patch is a hidden class whose static finals are the targets ({@link StaticCallTemplate},
 * {@link StaticCall.Template#patch}), which both JITs fold and bind directly. The class is
 * defined at the first call through a site after kvm_ops_update(), not by the update
 * itself: a vendor load that no vCPU runs under (most of an exploration's loads) defines
 * none. What the update patches, as /sys/kernel/debug/kvm/dispatch shows it, changes at
 * the update all the same;
 * <li>{@link Dispatch#DIRECT}: a plain call of the one vendor, as the monolithic layout
 * compiles them.
 * </ul>
 * Writers hold the core's vendor_module_lock; vCPU threads only call.
 */
public final class KvmX86OpsTable implements KvmX86OpsView {
    /** What the model's 6.13 kernel does without kvm.dispatch= (x86 has used static_call since 5.12). */
    public static final Dispatch DEFAULT = Dispatch.STATIC_CALL;
    static final String[] OPS = {
        "check_processor_compatibility", "enable_virtualization_cpu", "disable_virtualization_cpu",
        "hardware_unsetup", "vm_init", "vm_destroy", "vcpu_create", "vcpu_free", "vcpu_reset",
        "get_msr", "set_msr", "vcpu_run", "handle_exit", "skip_emulated_instruction", "patch_hypercall",
        "request_immediate_exit", "set_hv_timer", "cancel_hv_timer", "get_mt_mask",
    };
    /**
     * The 2019 core's fallback for request_immediate_exit (a self-IPI); since 6.9 the op
     * is vcpu_run's force_immediate_exit and the vendor sends the IPI itself. The name
     * still labels which way vcpu_run takes.
     */
    static final String COMMON_IMMEDIATE_EXIT = "__kvm_request_immediate_exit";


    /** Set once at module init, before any vendor can call kvm_x86_vendor_init(). */
    private Dispatch style = DEFAULT;
    /** OPS: the table, read once per call. */
    private volatile KvmX86Ops ops;
    /** DIRECT: the one vendor these sites call. */
    private KvmX86Ops direct;
    private volatile KvmX86Ops.SetHvTimer setHvTimer;
    private volatile KvmX86Ops.VcpuVoidOp cancelHvTimer;
    private volatile KvmX86Ops.GetMtMask getMtMask;
    /** The vendor forces an immediate exit with its own function (VMX's zero preemption timer), else a self-IPI. */
    private volatile boolean immediateExitIsCommon;

    // STATIC_CALL: the patched sites (DEFINE_STATIC_CALL_NULL(kvm_x86_##op) each)
    private final StaticCall vcpuRunCall = new StaticCall("kvm_x86_vcpu_run");
    private final StaticCall handleExitCall = new StaticCall("kvm_x86_handle_exit");
    private final StaticCall skipCall = new StaticCall("kvm_x86_skip_emulated_instruction");
    private final StaticCall getMsrCall = new StaticCall("kvm_x86_get_msr");
    private final StaticCall setMsrCall = new StaticCall("kvm_x86_set_msr");
    private final StaticCall patchHypercallCall = new StaticCall("kvm_x86_patch_hypercall");
    private final StaticCall setHvTimerCall = new StaticCall("kvm_x86_set_hv_timer");
    private final StaticCall cancelHvTimerCall = new StaticCall("kvm_x86_cancel_hv_timer");
    private final StaticCall getMtMaskCall = new StaticCall("kvm_x86_get_mt_mask");
    /** What /sys/kernel/debug/kvm/dispatch lists of them. */
    private final StaticCall[] staticCalls = {vcpuRunCall, handleExitCall, skipCall, getMsrCall, setMsrCall,
        patchHypercallCall, setHvTimerCall, cancelHvTimerCall, getMtMaskCall};
    /**
     * STATIC_CALL: the call instructions, the hidden class of the last kvm_ops_update()'s
     * targets; null when unpatched, or patched and not called yet ({@link #patchNow}).
     */
    private StaticCallSites sites;
    /** STATIC_CALL: StaticCallTemplate's class file, read at the first patch this core defines. */
    private StaticCall.Template<StaticCallSites> template;

    KvmX86OpsTable() {
    }

    Dispatch style() {
        return style;
    }

    /** kvm.dispatch= as the module's init read it; no vendor is loaded yet. */
    void setStyle(Dispatch style) {
        this.style = style;
    }

    /**
     * kvm_ops_update(): copies the vendor's ops, resolving the optional ones once, and
     * (static_call) patches every site: KVM_X86_OP sites call the vendor, OPTIONAL ones
     * become a no-op when absent, OPTIONAL_RET0 ones return 0.
     */
    synchronized void update(KvmX86Ops vendor) {
        setHvTimer = vendor.setHvTimer();
        cancelHvTimer = vendor.cancelHvTimer();
        getMtMask = vendor.getMtMask();
        immediateExitIsCommon = vendor.requestImmediateExit() == null;
        if (style == Dispatch.STATIC_CALL) {
            sites = null; // the new targets' class is defined at the first call (patchNow)
            String prefix = prefix(vendor.name());
            vcpuRunCall.update(prefix + "vcpu_run");
            handleExitCall.update(prefix + "handle_exit");
            skipCall.update(prefix + "skip_emulated_instruction");
            getMsrCall.update(prefix + "get_msr");
            setMsrCall.update(prefix + "set_msr");
            patchHypercallCall.update(prefix + "patch_hypercall");
            setHvTimerCall.updateOptional(setHvTimer != null, prefix + "set_hv_timer", false);
            cancelHvTimerCall.updateOptional(cancelHvTimer != null, prefix + "cancel_hv_timer", true);
            getMtMaskCall.updateOptional(getMtMask != null, prefix + "get_mt_mask", false);
        }
        direct = vendor;
        ops = vendor; // last: from here the table says "vendor loaded"
    }

    /** Empties the table: no vendor loaded; patched sites go back to their NULL state. */
    synchronized void clear() {
        ops = null;
        direct = null;
        setHvTimer = null;
        cancelHvTimer = null;
        getMtMask = null;
        if (style == Dispatch.STATIC_CALL) {
            sites = null;
            for (StaticCall c : staticCalls) {
                c.unpatch();
            }
        }
    }

    boolean installed() {
        return ops != null;
    }

    @Override
    public String name() {
        KvmX86Ops o = ops;
        return o == null ? null : o.name();
    }

    @Override
    public String target(String op) {
        KvmX86Ops o = ops;
        if (o == null) {
            return null;
        }
        String prefix = prefix(o.name());
        switch (op) {
            case "set_hv_timer":
                return setHvTimer == null ? null : prefix + op;
            case "cancel_hv_timer":
                return cancelHvTimer == null ? null : prefix + op;
            case "get_mt_mask":
                return getMtMask == null ? null : prefix + op;
            case "request_immediate_exit":
                return immediateExitIsCommon ? COMMON_IMMEDIATE_EXIT : prefix + op;
            default:
                for (String known : OPS) {
                    if (known.equals(op)) {
                        return prefix + op;
                    }
                }
                return null;
        }
    }

    /** The vendor's function names: vmx_vcpu_run, svm_vcpu_run. */
    private static String prefix(String vendor) {
        return "kvm_intel".equals(vendor) ? "vmx_" : "kvm_amd".equals(vendor) ? "svm_" : vendor + "_";
    }

    @Override
    public Map<String, String> targets() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String op : OPS) {
            m.put(op, target(op));
        }
        return Collections.unmodifiableMap(m);
    }

    @Override
    public String dispatch() {
        return style.param;
    }

    @Override
    public List<String> sites() {
        List<String> out = new ArrayList<>();
        for (String op : OPS) {
            String t = target(op);
            if (t == null && ops != null) {
                t = "get_mt_mask".equals(op) ? StaticCall.RETURN0 : StaticCall.NOP;
            }
            String how = style == Dispatch.STATIC_CALL && staticCall(op) == null ? Dispatch.DIRECT.param + "(init)" : style.param;
            if ("request_immediate_exit".equals(op)) {
                how = "vcpu_run"; // 6.9+: folded into vcpu_run(vcpu, force_immediate_exit)
            }
            out.add(String.format("%-30s %-12s %s", op, how, t == null ? "(null)" : t));
        }
        return out;
    }

    private StaticCall staticCall(String op) {
        for (StaticCall c : staticCalls) {
            if (c.name.equals("kvm_x86_" + op)) {
                return c;
            }
        }
        return null;
    }

    /** One indirect call through the table on the exit path: counted where it happens. */
    private KvmX86Ops indirect(KvmVcpu v) {
        v.stat[KvmStat.INDIRECT_CALLS]++;
        return ops;
    }

    /** The patched sites; calling them unpatched is calling into a module that is gone. */
    private StaticCallSites patched() {
        StaticCallSites s = sites;
        if (s == null) {
            s = patchNow();
        }
        return s;
    }

    /**
     * The first call after kvm_ops_update(): the installed targets' hidden class defined,
     * once, whichever vCPU thread gets here first. Without a vendor (unpatched) a call BUGs.
     */
    private synchronized StaticCallSites patchNow() {
        KvmX86Ops vendor = ops;
        if (vendor == null) {
            throw StaticCall.bug("kvm_x86_ops");
        }
        if (sites == null) {
            if (template == null) {
                template = StaticCall.template(MethodHandles.lookup(), "StaticCallTemplate", StaticCallSites.class);
            }
            // in StaticCallTemplate's index order
            sites = template.patch(Arrays.asList(vendor, setHvTimer, cancelHvTimer, getMtMask));
        }
        return sites;
    }

    // ---- the call sites on the exit path ----

    int vcpuRun(KvmVcpu vcpu, boolean forceImmediateExit) {
        if (style == Dispatch.STATIC_CALL) {
            return patched().vcpuRun(vcpu, forceImmediateExit);
        }
        return (style == Dispatch.OPS ? indirect(vcpu) : direct).vcpuRun(vcpu, forceImmediateExit);
    }

    int handleExit(KvmVcpu vcpu, int fastpath) {
        if (style == Dispatch.STATIC_CALL) {
            return patched().handleExit(vcpu, fastpath);
        }
        return (style == Dispatch.OPS ? indirect(vcpu) : direct).handleExit(vcpu, fastpath);
    }

    int skipEmulatedInstruction(KvmVcpu vcpu) {
        if (style == Dispatch.STATIC_CALL) {
            return patched().skipEmulatedInstruction(vcpu);
        }
        return (style == Dispatch.OPS ? indirect(vcpu) : direct).skipEmulatedInstruction(vcpu);
    }

    int getMsr(KvmVcpu vcpu, int msr, long[] data) {
        if (style == Dispatch.STATIC_CALL) {
            return patched().getMsr(vcpu, msr, data);
        }
        return (style == Dispatch.OPS ? indirect(vcpu) : direct).getMsr(vcpu, msr, data);
    }

    int setMsr(KvmVcpu vcpu, int msr, long data) {
        if (style == Dispatch.STATIC_CALL) {
            return patched().setMsr(vcpu, msr, data);
        }
        return (style == Dispatch.OPS ? indirect(vcpu) : direct).setMsr(vcpu, msr, data);
    }

    void patchHypercall(KvmVcpu vcpu, byte[] insn) {
        if (style == Dispatch.STATIC_CALL) {
            patched().patchHypercall(insn);
            return;
        }
        (style == Dispatch.OPS ? indirect(vcpu) : direct).patchHypercall(insn);
    }

    /** set_hv_timer: an optional op; absent, -EOPNOTSUPP as the C callers check for. */
    int setHvTimer(KvmVcpu vcpu, long deadline, boolean[] expired) {
        if (style == Dispatch.STATIC_CALL) {
            return patched().setHvTimer(vcpu, deadline, expired);
        }
        KvmX86Ops.SetHvTimer f = setHvTimer;
        if (style == Dispatch.OPS) {
            vcpu.stat[KvmStat.INDIRECT_CALLS]++;
        }
        return f == null ? 0 : f.setHvTimer(vcpu, deadline, expired);
    }

    void cancelHvTimer(KvmVcpu vcpu) {
        if (style == Dispatch.STATIC_CALL) {
            patched().cancelHvTimer(vcpu);
            return;
        }
        KvmX86Ops.VcpuVoidOp f = cancelHvTimer;
        if (f != null) {
            if (style == Dispatch.OPS) {
                vcpu.stat[KvmStat.INDIRECT_CALLS]++;
            }
            f.call(vcpu);
        }
    }

    /** get_mt_mask: KVM_X86_OP_OPTIONAL_RET0, so an absent op gives 0. */
    long getMtMask(KvmVcpu vcpu, long gfn, boolean isMmio) {
        if (style == Dispatch.STATIC_CALL) {
            return patched().getMtMask(vcpu, gfn, isMmio);
        }
        KvmX86Ops.GetMtMask f = getMtMask;
        if (f == null) {
            return 0;
        }
        if (style == Dispatch.OPS) {
            vcpu.stat[KvmStat.INDIRECT_CALLS]++;
        }
        return f.getMtMask(vcpu, gfn, isMmio);
    }

    // ---- the call sites of init, VM and vCPU lifecycle: not on the exit path ----

    int checkProcessorCompatibility(int cpu) {
        return ops.checkProcessorCompatibility(cpu);
    }

    int enableVirtualizationCpu(int cpu) {
        return ops.enableVirtualizationCpu(cpu);
    }

    void disableVirtualizationCpu(int cpu) {
        ops.disableVirtualizationCpu(cpu);
    }

    void hardwareUnsetup() {
        ops.hardwareUnsetup();
    }

    int vmInit(KvmVm kvm) {
        return ops.vmInit(kvm);
    }

    void vmDestroy(KvmVm kvm) {
        ops.vmDestroy(kvm);
    }

    int vcpuCreate(KvmVcpu vcpu) {
        return ops.vcpuCreate(vcpu);
    }

    void vcpuFree(KvmVcpu vcpu) {
        ops.vcpuFree(vcpu);
    }

    void vcpuReset(KvmVcpu vcpu, boolean initEvent) {
        ops.vcpuReset(vcpu, initEvent);
    }
}
