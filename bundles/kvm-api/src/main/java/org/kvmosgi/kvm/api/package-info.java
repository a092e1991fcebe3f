/** KVM's user-space ABI (include/uapi/linux/kvm.h): ioctls, exit reasons, capabilities, structures. */
@Export
@Version("1.3.0")
package org.kvmosgi.kvm.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
