package org.kvmosgi.kvm.ppc.api;

/**
 * A {@code struct kvmppc_ops *} variable of kvm.ko ({@code kvmppc_hv_ops},
 * {@code kvmppc_pr_ops}): exported data that kvm-hv and kvm-pr fill in at init and
 * clear at exit; kvm reads it when it creates a VM.
 */
public final class OpsSlot implements OpsOwner {
    private final String symbol;
    private volatile KvmppcOps ops;
    /** What kvm.ko's call sites do when the pointer changes (static_call_update, or a direct call's target). */
    private volatile java.util.function.Consumer<KvmppcOps> patch;
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

    /**
     * The module's init sets the pointer, its exit clears it. kvm.ko's call sites are
     * repointed first when ops arrive and last when they go, so that no VM reaches ops
     * whose sites are not patched yet.
     */
    public void set(KvmppcOps ops) {
        java.util.function.Consumer<KvmppcOps> p = patch;
        if (ops != null && p != null) {
            p.accept(ops);
        }
        this.owner = ops == null ? "" : ops.owner();
        this.ops = ops;
        if (ops == null && p != null) {
            p.accept(null);
        }
    }

    /** kvm.ko's init: its call sites follow this pointer from now on ({@code null} ops: unpatch). */
    public void onSet(java.util.function.Consumer<KvmppcOps> patch) {
        this.patch = patch;
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
