/**
 * How a KVM core calls into its vendor modules, for every architecture: the dispatch
 * styles ({@code kvm.dispatch=}) and the static_call machinery (include/linux/static_call.h):
 * each patch defines a hidden class whose static finals are the targets, so that both
 * JITs bind the calls directly. Each core keeps its own sites; nothing here holds state.
 */
@Export
@Version("2.0.0")
package org.kvmosgi.kvm.api.dispatch;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
