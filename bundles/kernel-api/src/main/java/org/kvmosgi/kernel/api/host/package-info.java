/** The simulated host machine. */
@Export
@Version("1.0.0")
package org.kvmosgi.kernel.api.host;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
