/** What commands share with the console: how a command reports failure, the words it gets. */
@Export
@Version("1.1.0")
package org.kvmosgi.console.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
