package org.kvmosgi.kvm.api.x86;

/** struct kvm_x86_init_ops: what a vendor hands kvm_x86_vendor_init(). */
public interface KvmX86InitOps {
    /**
     * hardware_setup: the vendor probes the host and may change its own runtime ops
     * (e.g. drop the hv-timer ops) before the core installs them; 0 or -errno.
     */
    int hardwareSetup();

    /** runtime_ops: the ops kvm_ops_update() installs. */
    KvmX86Ops runtimeOps();
}
