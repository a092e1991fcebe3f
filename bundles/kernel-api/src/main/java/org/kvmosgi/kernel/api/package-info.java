/** The kernel headers: what a module compiles against. */
@Export
@Version("1.2.0")
package org.kvmosgi.kernel.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
