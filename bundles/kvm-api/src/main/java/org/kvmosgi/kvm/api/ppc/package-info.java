/** PowerPC's part of KVM's user-space ABI (arch/powerpc/include/uapi/asm/kvm.h and what a PAPR VMM uses). */
@Export
@Version("1.0.0")
package org.kvmosgi.kvm.api.ppc;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
