package org.kvmosgi.kvm.api;

/**
 * struct kvm_cpuid2 with its kvm_cpuid_entry2 array: the argument of
 * KVM_GET_SUPPORTED_CPUID (/dev/kvm), KVM_SET_CPUID2 and KVM_GET_CPUID2 (vCPU fd).
 * {@link #nent} is the entries' count on the way in (the array's usable length) and
 * what the kernel filled or needs on the way out (-E2BIG when the array is too small).
 */
public final class KvmCpuid2 {
    /** KVM_MAX_CPUID_ENTRIES. */
    public static final int KVM_MAX_CPUID_ENTRIES = 256;

    public int nent;
    public final Entry[] entries;

    public KvmCpuid2(int capacity) {
        this.entries = new Entry[capacity];
        for (int i = 0; i < capacity; i++) {
            entries[i] = new Entry();
        }
        this.nent = capacity;
    }

    /** struct kvm_cpuid_entry2. */
    public static final class Entry {
        public int function, index, flags, eax, ebx, ecx, edx;

        public Entry set(int function, int eax, int ebx, int ecx, int edx) {
            this.function = function;
            this.eax = eax;
            this.ebx = ebx;
            this.ecx = ecx;
            this.edx = edx;
            return this;
        }
    }

    /** The entry for {@code function} among the first {@link #nent}, or null. */
    public Entry find(int function) {
        for (int i = 0; i < nent && i < entries.length; i++) {
            if (entries[i].function == function) {
                return entries[i];
            }
        }
        return null;
    }
}
