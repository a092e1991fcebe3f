/**
 * The arch-independent part of kvm_host.h: struct kvm, struct kvm_vcpu and struct
 * kvm_memory_slot as virt/kvm sees them. Each architecture extends the first two with
 * its kvm->arch and vcpu->arch.
 */
@Export
@Version("1.1.0")
package org.kvmosgi.kvm.api.generic;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
