package org.kvmosgi.diag.command;

import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.syscall.Syscalls;

/** Opens /dev/kvm and makes KVM_CREATE_VM, as a VMM's first steps are. */
final class VmProbe {
    /**
     * _IO(KVMIO, 0x01), as org.kvmosgi.kvm.api.KVM_CREATE_VM (a test pins it):
     * kvm-api comes with the KVM features, not with the platform diag runs on.
     */
    static final int KVM_CREATE_VM = 0xAE01;

    private VmProbe() {}

    /** Creates a VM of {@code type}; returns its fd. /dev/kvm's own fd is closed again: the VM fd pins what it needs. */
    static int create(Syscalls sys, long type) throws ErrnoException {
        return createOn(sys, sys.open("/dev/kvm"), type);
    }

    /** KVM_CREATE_VM on an open /dev/kvm fd, which is closed afterwards whatever the outcome. */
    static int createOn(Syscalls sys, int kvm, long type) throws ErrnoException {
        try {
            return (int) sys.ioctl(kvm, KVM_CREATE_VM, Long.valueOf(type));
        } finally {
            sys.close(kvm);
        }
    }

    /** Creates and destroys a VM: 0, or -errno. */
    static int tryCreate(Syscalls sys, long type) {
        try {
            sys.close(create(sys, type));
            return 0;
        } catch (ErrnoException e) {
            return -e.errno();
        }
    }
}
