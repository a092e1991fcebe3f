package org.kvmosgi.kvm.x86.hw;

import static org.kvmosgi.kvm.api.KvmExitReason.*;
import static org.kvmosgi.kvm.api.KvmRunLayout.*;

import org.kvmosgi.kernel.api.Printk;
import org.kvmosgi.kernel.api.host.Cpu;
import org.kvmosgi.kernel.api.host.Host;
import org.kvmosgi.kvm.api.x86.KvmVcpu;

/** What kvm_intel and kvm_amd do alike, kept once: CPU lookup and the unexpected-exit report. */
public final class Vendor {
    private Vendor() {}

    /** The host CPU numbered {@code id} (the one a per-CPU call runs on). */
    public static Cpu cpu(Host host, int id) {
        for (Cpu c : host.cpus()) {
            if (c.id() == id) {
                return c;
            }
        }
        throw new IllegalArgumentException("no CPU " + id);
    }

    /**
     * smp_send_reschedule(vcpu->cpu) before entry: the vCPU's CPU takes an external
     * interrupt as soon as it enters, an exit before any guest instruction. Both vendors'
     * fallback for an immediate exit (the 2019 core's __kvm_request_immediate_exit).
     */
    public static void sendSelfIpi(KvmVcpu v, GuestCpu cpu) {
        cpu.selfIpi = true;
        v.stat[org.kvmosgi.kvm.api.KvmStat.IMMEDIATE_EXIT_IPI]++;
    }

    /**
     * An exit the handler table has no entry for: vcpu_unimpl()'s line, then
     * KVM_EXIT_INTERNAL_ERROR / KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON with the reason
     * and the CPU of the last entry. Returns 0: to user space.
     */
    public static int unexpectedExit(Printk log, String vendor, KvmVcpu v, long reason) {
        log.err("kvm [%d]: vcpu%d, guest rIP: 0x%x %s: unexpected exit reason 0x%x",
                ProcessHandle.current().pid(), v.vcpuId, v.rip, vendor, reason);
        v.run.putInt(EXIT_REASON, KVM_EXIT_INTERNAL_ERROR);
        v.run.putInt(INTERNAL_SUBERROR, KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON);
        v.run.putInt(INTERNAL_NDATA, 2);
        v.run.putLong(INTERNAL_DATA, reason);
        v.run.putLong(INTERNAL_DATA + 8, 0);
        return 0;
    }
}
