/** kvmtool's guest programs (the workloads) and their assembler, for the shell commands and for tests. */
@Export
@Version("1.0.0")
package org.kvmosgi.kvmtool.guest;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
