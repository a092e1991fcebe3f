/** Character devices and open files, as a module provides them. */
@Export
@Version("1.0.0")
package org.kvmosgi.kernel.api.dev;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
