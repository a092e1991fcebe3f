/**
 * A module file's signature as the kernel and kmod read it (include/linux/module_signature.h):
 * who signed, with which key and hash, and the signature itself.
 */
@Export
@Version("1.0.0")
package org.kvmosgi.kernel.api.modsig;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
