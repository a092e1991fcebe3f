package org.kvmosgi.kvm.ppc.api;

/**
 * What any ops pointer tells about itself: the module whose ops are installed, "" when
 * none. Diagnostics read it through this public interface without knowing Book3S types.
 */
public interface OpsOwner {
    String name();
}
