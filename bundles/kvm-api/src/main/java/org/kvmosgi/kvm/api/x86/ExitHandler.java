package org.kvmosgi.kvm.api.x86;

/** An exit handler of a vendor's table (kvm_vmx_exit_handlers[], svm_exit_handlers[]). */
@FunctionalInterface
public interface ExitHandler {
    /** 1: re-enter the guest; 0: exit to user space (kvm_run filled); -errno: error. */
    int handle(KvmVcpu vcpu);
}
