/**
 * What kvm.ko shares with kvm-intel and kvm-amd (kvm_host.h, kvm-x86-ops.h): the vendor
 * ops, struct kvm and struct kvm_vcpu, and the types of the symbols the core exports.
 */
@Export
@Version("2.1.0")
package org.kvmosgi.kvm.api.x86;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
