/**
 * asm/kvm_ppc.h, asm/kvm_book3s.h and the PowerPC parts of uapi/linux/kvm.h: what kvm,
 * kvm-hv and kvm-pr share (the plug-in points, struct kvm and struct kvm_vcpu of Book3S)
 * and what user space needs beyond the generic KVM ABI of kvm-api.
 */
@Export
@Version("2.2.0")
package org.kvmosgi.kvm.ppc.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
