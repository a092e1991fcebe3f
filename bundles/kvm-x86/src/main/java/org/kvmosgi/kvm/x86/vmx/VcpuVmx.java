package org.kvmosgi.kvm.x86.vmx;

import org.kvmosgi.kernel.api.Allocation;
import org.kvmosgi.kvm.api.x86.KvmVcpu;
import org.kvmosgi.kvm.api.x86.KvmVm;
import org.kvmosgi.kvm.x86.hw.GuestCpu;

/** struct vcpu_vmx: kvm_vcpu plus the VMCS and the exit information read from it. */
final class VcpuVmx extends KvmVcpu {
    final GuestCpu cpu = new GuestCpu();
    Allocation vmcs;
    /** VM_EXIT_REASON (basic). */
    int exitReason;
    /** EXIT_QUALIFICATION. */
    long exitQualification;
    /** VM_EXIT_INSTRUCTION_LEN. */
    int instructionLen;
    /** GUEST_PHYSICAL_ADDRESS. */
    long guestPhysicalAddress;
    /** VM_EXIT_INTR_INFO vector. */
    int intrVector;

    VcpuVmx(KvmVm kvm, int id) {
        super(kvm, id);
    }
}
