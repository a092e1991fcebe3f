package org.kvmosgi.kernel.api;

/**
 * An exported ops table other modules plug into (kvm_x86_ops, kvmppc_hv_ops): the value
 * of such a symbol tells which module's ops are installed. The kernel publishes that
 * for every exported symbol whose value is one, in
 * {@code /sys/kernel/debug/kvmosgi/ops_owners}, so user space learns it by reading a
 * file, as it would read debugfs.
 */
public interface OpsOwner {
    /** The module whose ops are installed; "" or null when none is. */
    String name();
}
