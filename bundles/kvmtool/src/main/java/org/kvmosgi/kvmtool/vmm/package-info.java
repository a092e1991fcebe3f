/** kvmtool's VMM: a VM held through /dev/kvm, VM and vCPU fds, for the shell commands and for tests. */
@Export
@Version("1.1.0")
package org.kvmosgi.kvmtool.vmm;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
