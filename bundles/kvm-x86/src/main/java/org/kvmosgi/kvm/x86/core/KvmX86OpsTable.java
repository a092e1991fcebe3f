package org.kvmosgi.kvm.x86.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.kvmosgi.kvm.api.x86.KvmVcpu;
import org.kvmosgi.kvm.api.x86.KvmVm;
import org.kvmosgi.kvm.api.x86.KvmX86Ops;
import org.kvmosgi.kvm.api.x86.KvmX86OpsView;

/**
 * The installed kvm_x86_ops and every call site through them ({@code kvm_x86_call(op)}
 * in C): nothing else in kvm.ko calls a vendor op. {@link #update} is kvm_ops_update(),
 * {@link #clear} what kvm_x86_vendor_exit() and the compat-check unwind do. Keeping the
 * call sites here is what lets the dispatch style change (plain interface call today;
 * a patched call site, static_call's analogue, later) in one class.
 *
 * <p>Writers hold the core's vendor_module_lock; readers (vCPU threads) read the
 * volatile reference once per call.
 */
public final class KvmX86OpsTable implements KvmX86OpsView {
    static final String[] OPS = {
        "check_processor_compatibility", "enable_virtualization_cpu", "disable_virtualization_cpu",
        "hardware_unsetup", "vm_init", "vm_destroy", "vcpu_create", "vcpu_free", "vcpu_reset",
        "get_msr", "set_msr", "vcpu_run", "handle_exit", "skip_emulated_instruction", "patch_hypercall",
        "request_immediate_exit", "set_hv_timer", "cancel_hv_timer",
    };
    /** The core's fallback for request_immediate_exit (a self-IPI in C). */
    static final String COMMON_IMMEDIATE_EXIT = "__kvm_request_immediate_exit";

    private volatile KvmX86Ops ops;
    private volatile KvmX86Ops.SetHvTimer setHvTimer;
    private volatile KvmX86Ops.VcpuVoidOp cancelHvTimer;
    private volatile KvmX86Ops.VcpuVoidOp requestImmediateExit;
    private volatile boolean immediateExitIsCommon;
    private final KvmX86Ops.VcpuVoidOp commonImmediateExit;

    KvmX86OpsTable(KvmX86Ops.VcpuVoidOp commonImmediateExit) {
        this.commonImmediateExit = commonImmediateExit;
    }

    /** kvm_ops_update(): copies the vendor's ops, resolving the optional ones once. */
    void update(KvmX86Ops vendor) {
        setHvTimer = vendor.setHvTimer();
        cancelHvTimer = vendor.cancelHvTimer();
        KvmX86Ops.VcpuVoidOp ie = vendor.requestImmediateExit();
        immediateExitIsCommon = ie == null;
        requestImmediateExit = ie != null ? ie : commonImmediateExit;
        ops = vendor; // last: from here the table says "vendor loaded"
    }

    /** Empties the table: no vendor loaded. */
    void clear() {
        ops = null;
        setHvTimer = null;
        cancelHvTimer = null;
        requestImmediateExit = null;
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
        String prefix = "kvm_intel".equals(o.name()) ? "vmx_" : "kvm_amd".equals(o.name()) ? "svm_" : o.name() + "_";
        switch (op) {
            case "set_hv_timer":
                return setHvTimer == null ? null : prefix + op;
            case "cancel_hv_timer":
                return cancelHvTimer == null ? null : prefix + op;
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

    @Override
    public Map<String, String> targets() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String op : OPS) {
            m.put(op, target(op));
        }
        return Collections.unmodifiableMap(m);
    }

    // ---- the call sites ----

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

    int getMsr(KvmVcpu vcpu, int msr, long[] data) {
        return ops.getMsr(vcpu, msr, data);
    }

    int setMsr(KvmVcpu vcpu, int msr, long data) {
        return ops.setMsr(vcpu, msr, data);
    }

    int vcpuRun(KvmVcpu vcpu, boolean forceImmediateExit) {
        return ops.vcpuRun(vcpu, forceImmediateExit);
    }

    int handleExit(KvmVcpu vcpu, int fastpath) {
        return ops.handleExit(vcpu, fastpath);
    }

    int skipEmulatedInstruction(KvmVcpu vcpu) {
        return ops.skipEmulatedInstruction(vcpu);
    }

    void patchHypercall(byte[] insn) {
        ops.patchHypercall(insn);
    }
}
