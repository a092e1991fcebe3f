/** The module's .modinfo, written as annotations and read from the manifest. */
@Export
@Version("1.4.0")
package org.kvmosgi.kernel.api.modinfo;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
