package org.kvmosgi.kvm.api.x86;

import java.util.Map;

/**
 * The installed kvm_x86_ops as the core dispatches through them (exported as the
 * symbol {@code kvm_x86_ops}). For each op name ({@code vcpu_run},
 * {@code set_hv_timer}, ...) the function in use, by its C name, or null for an absent
 * optional op.
 */
public interface KvmX86OpsView {
    /** kvm_x86_ops.name, or null when no vendor module is loaded. */
    String name();

    /** The function an op dispatches to ({@code vmx_vcpu_run}, {@code __kvm_request_immediate_exit}), or null. */
    String target(String op);

    /** Every op name with its target, in kvm-x86-ops.h order. */
    Map<String, String> targets();
}
