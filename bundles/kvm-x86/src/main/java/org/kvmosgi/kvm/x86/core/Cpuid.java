package org.kvmosgi.kvm.x86.core;

import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.Printk;
import org.kvmosgi.kvm.api.KvmCpuid2;
import org.kvmosgi.kvm.api.x86.KvmVcpu;
import org.kvmosgi.kvm.api.x86.X86;

/**
 * arch/x86/kvm/cpuid.c: KVM_GET_SUPPORTED_CPUID, and a vCPU's own CPUID through
 * KVM_SET_CPUID2 / KVM_GET_CPUID2. Tables are {function, eax, ebx, ecx, edx} rows
 * (the model's leaves have no index).
 *
 * <p>After the first KVM_RUN, Linux since 5.16 accepts KVM_SET_CPUID2 only with the
 * same entries (-EINVAL otherwise). The model accepts one change more: the hints word
 * (KVM_CPUID_FEATURES.EDX, KVM_HINTS_REALTIME), with the warning 5.13 to 5.15 printed
 * (rate-limited) for any change then, so that a VMM can change the hint while the guest runs, as the
 * 2020 RFC that switches the guest's pv lock ops at run time assumed.
 */
final class Cpuid {
    private static final int EINVAL = Errno.EINVAL.neg(), E2BIG = Errno.E2BIG.neg(), EFAULT = Errno.EFAULT.neg();

    private Cpuid() {}

    /** KVM_GET_SUPPORTED_CPUID: -E2BIG (with nent set to what is needed) when the array is too small. */
    static long getSupported(int[][] supported, Object arg) {
        if (!(arg instanceof KvmCpuid2)) {
            return EFAULT;
        }
        return copyOut(supported, (KvmCpuid2) arg);
    }

    /** KVM_GET_CPUID2: the vCPU's entries (none before KVM_SET_CPUID2). */
    static long get(KvmVcpu v, Object arg) {
        if (!(arg instanceof KvmCpuid2)) {
            return EFAULT;
        }
        int[][] e = v.cpuidEntries;
        return copyOut(e == null ? new int[0][] : e, (KvmCpuid2) arg);
    }

    private static long copyOut(int[][] table, KvmCpuid2 c) {
        if (c.nent < table.length || c.entries.length < table.length) {
            c.nent = table.length;
            return E2BIG;
        }
        for (int i = 0; i < table.length; i++) {
            c.entries[i].set(table[i][0], table[i][1], table[i][2], table[i][3], table[i][4]);
            c.entries[i].index = 0;
            c.entries[i].flags = 0;
        }
        c.nent = table.length;
        return 0;
    }

    /** kvm_vcpu_ioctl_set_cpuid2(). */
    static long set(KvmVcpu v, Object arg, Printk log, java.util.function.BooleanSupplier ratelimit) {
        if (!(arg instanceof KvmCpuid2)) {
            return EFAULT;
        }
        KvmCpuid2 c = (KvmCpuid2) arg;
        if (c.nent > KvmCpuid2.KVM_MAX_CPUID_ENTRIES) {
            return E2BIG;
        }
        if (c.nent < 0 || c.nent > c.entries.length) {
            return EFAULT;
        }
        int[][] table = new int[c.nent][];
        for (int i = 0; i < c.nent; i++) {
            KvmCpuid2.Entry e = c.entries[i];
            table[i] = new int[] {e.function, e.eax, e.ebx, e.ecx, e.edx};
        }
        if (v.hasRun) {
            int[][] old = v.cpuidEntries;
            if (old == null || !equalButHints(old, table)) {
                return EINVAL; // kvm_cpuid_check_equal()
            }
            if (!java.util.Arrays.deepEquals(old, table) && ratelimit.getAsBoolean()) {
                log.warn("KVM: KVM_SET_CPUID{,2} after KVM_RUN may cause guest instability");
            }
        }
        v.cpuidEntries = table;
        return 0;
    }

    private static boolean equalButHints(int[][] a, int[][] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            boolean hintsLeaf = a[i][0] == X86.KVM_CPUID_FEATURES && b[i][0] == X86.KVM_CPUID_FEATURES;
            for (int r = 0; r < 5; r++) {
                if (a[i][r] != b[i][r] && !(hintsLeaf && r == 4)) {
                    return false;
                }
            }
        }
        return true;
    }
}
