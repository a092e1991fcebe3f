/**
 * The guest kernel's paravirt spinlock ops (pv_ops.lock) and their run-time switch:
 * a native ticket lock and a pv test-and-set lock that halts and kicks through the
 * hypervisor, switched as a group when the VMM changes KVM_HINTS_REALTIME; the safe
 * switch (a stop_machine rendezvous with the lock state carried over) and the unsafe
 * ones, and the stress run that tells them apart.
 */
@Export
@Version("1.0.0")
package org.kvmosgi.kvmtool.guest.pvlock;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
