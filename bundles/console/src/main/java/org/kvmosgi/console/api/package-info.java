/** What commands share with the console: how a command reports failure. */
@Export
@Version("1.0.0")
package org.kvmosgi.console.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
