/** The system call boundary between user space and the kernel. */
@Export
@Version("1.4.0")
package org.kvmosgi.kernel.api.syscall;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
