package org.kvmosgi.kvm.ppc.api;

/**
 * A {@code struct kvmppc_ops *} variable of kvm.ko ({@code kvmppc_hv_ops},
 * {@code kvmppc_pr_ops}): exported data that kvm-hv and kvm-pr fill in at init and
 * clear at exit; kvm reads it when it creates a VM.
 */
public final class OpsSlot implements OpsOwner {
    private final String symbol;
    private volatile KvmppcOps ops;
    /** The owner read when the ops were installed: diagnostics must not read through a dangling pointer. */
    private volatile String owner = "";

    public OpsSlot(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    public KvmppcOps get() {
        return ops;
    }

    public void set(KvmppcOps ops) {
        this.owner = ops == null ? "" : ops.owner();
        this.ops = ops;
    }

    /**
     * The module whose ops are installed, "" when none (what diagnostics read, as for
     * kvm_x86_ops); still the name after that module is gone, when a buggy init left the ops set.
     */
    @Override
    public String name() {
        return ops == null ? "" : owner;
    }
}
