package org.kvmosgi.kvm.x86.svm;

import org.kvmosgi.kernel.api.Allocation;
import org.kvmosgi.kvm.api.x86.KvmVcpu;
import org.kvmosgi.kvm.api.x86.KvmVm;
import org.kvmosgi.kvm.x86.hw.GuestCpu;

/** struct vcpu_svm: kvm_vcpu plus the VMCB's control area the exit handlers read. */
final class VcpuSvm extends KvmVcpu {
    final GuestCpu cpu = new GuestCpu();
    Allocation vmcb;
    /** control.exit_code. */
    int exitCode;
    long exitInfo1;
    long exitInfo2;
    /** control.next_rip as the CPU saved it (0 without NRIPS). */
    long vmcbNextRip;
    /** svm->next_rip: where skip_emulated_instruction moves RIP, 0 = unknown. */
    long nextRip;

    VcpuSvm(KvmVm kvm, int id) {
        super(kvm, id);
    }
}
