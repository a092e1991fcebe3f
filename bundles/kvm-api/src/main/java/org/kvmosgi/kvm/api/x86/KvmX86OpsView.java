package org.kvmosgi.kvm.api.x86;

import java.util.Map;
import org.kvmosgi.kernel.api.OpsOwner;

/**
 * The installed kvm_x86_ops as the core dispatches through them (exported as the
 * symbol {@code kvm_x86_ops}). For each op name ({@code vcpu_run},
 * {@code set_hv_timer}, ...) the function in use, by its C name, or null for an absent
 * optional op. Its {@link #name()} is the kernel's ops owner entry for the symbol.
 */
public interface KvmX86OpsView extends OpsOwner {
    /** kvm_x86_ops.name, or null when no vendor module is loaded. */
    @Override
    String name();

    /** The function an op dispatches to ({@code vmx_vcpu_run}, {@code __kvm_request_immediate_exit}), or null. */
    String target(String op);

    /** Every op name with its target, in kvm-x86-ops.h order. */
    Map<String, String> targets();

    /** How the core's call sites reach the vendor: {@code ops}, {@code static_call} or {@code direct} (kvm.dispatch=). */
    String dispatch();

    /**
     * The call sites as {@code /sys/kernel/debug/kvm/dispatch} shows them: one line per op,
     * {@code op style target}, the target being the function, {@code __static_call_nop}
     * (static_call_cond of an absent optional op), {@code __static_call_return0}, or
     * {@code (null)} when no vendor is loaded.
     */
    java.util.List<String> sites();
}
