package org.kvmosgi.kvm.api;

/**
 * struct kvm_regs (x86), the argument of KVM_GET_REGS and KVM_SET_REGS. The array
 * follows the structure's order: rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp, r8..r15,
 * then rip and rflags.
 */
public final class KvmRegs {
    public long rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp;
    public long r8, r9, r10, r11, r12, r13, r14, r15;
    public long rip, rflags;
}
