package org.kvmosgi.kvm.ppc.api;

/**
 * What any ops pointer tells about itself: the module whose ops are installed, "" when
 * none. The kernel publishes it for every exported one in
 * {@code /sys/kernel/debug/kvmosgi/ops_owners}, which diagnostics read.
 */
public interface OpsOwner extends org.kvmosgi.kernel.api.OpsOwner {
    @Override
    String name();
}
