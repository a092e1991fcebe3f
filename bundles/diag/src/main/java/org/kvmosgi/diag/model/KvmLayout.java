package org.kvmosgi.diag.model;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Which KVM layout the module directory holds, and what "a working implementation" means
 * in it. The layouts are those of the reference (section 5), told apart by the module
 * names the feature ships:
 * <ul>
 * <li>{@code X86}: kvm.ko is a library; /dev/kvm is registered, through kvm, by the
 * vendor module (kvm_intel or kvm_amd) at the end of its init. The monolithic layout
 * (each vendor carrying the core) has the same vendor names and the same rule.
 * <li>{@code PPC_SPLIT}: kvm registers /dev/kvm at its own init; kvm_hv and kvm_pr plug
 * their ops in; KVM_CREATE_VM type 0 takes HV, else PR; 1 is HV, 2 is PR.
 * <li>{@code PPC_UNIFIED}: one kvm carrying HV and PR: no "kvm alone" state.
 * <li>{@code NONE}: no KVM module in the directory.
 * </ul>
 */
public record KvmLayout(Kind kind, List<String> implementations) {
    public enum Kind { X86, PPC_SPLIT, PPC_UNIFIED, NONE }

    public static final String CORE = "kvm";
    public static final List<String> X86_VENDORS = List.of("kvm_intel", "kvm_amd");
    public static final List<String> PPC_IMPLS = List.of("kvm_hv", "kvm_pr");
    /** KVM_VM_PPC_HV and KVM_VM_PPC_PR. */
    public static final long PPC_HV = 1;
    public static final long PPC_PR = 2;

    public static KvmLayout detect(Map<String, ModuleFile> files) {
        List<String> x86 = X86_VENDORS.stream().filter(files::containsKey).toList();
        if (!x86.isEmpty()) {
            return new KvmLayout(Kind.X86, X86_VENDORS);
        }
        if (PPC_IMPLS.stream().anyMatch(files::containsKey)) {
            return new KvmLayout(Kind.PPC_SPLIT, PPC_IMPLS);
        }
        if (files.containsKey(CORE)) {
            return new KvmLayout(Kind.PPC_UNIFIED, List.of(CORE));
        }
        return new KvmLayout(Kind.NONE, List.of());
    }

    /** The module that registers /dev/kvm when it is live (the vendors on x86). */
    public List<String> deviceOwners() {
        return switch (kind) {
            case X86 -> X86_VENDORS;
            case PPC_SPLIT, PPC_UNIFIED -> List.of(CORE);
            case NONE -> List.of();
        };
    }

    /** Whether /dev/kvm must be present, given which modules are live. */
    public boolean deviceExpected(Predicate<String> live) {
        return deviceOwners().stream().anyMatch(live);
    }

    /** The modules that can run a VM of {@code type}; empty when the type is unknown to the layout. */
    public List<String> vmImplementations(long type) {
        return switch (kind) {
            case X86 -> type == 0 ? X86_VENDORS : List.of();
            case PPC_SPLIT -> type == 0 ? PPC_IMPLS : type == PPC_HV ? List.of("kvm_hv")
                    : type == PPC_PR ? List.of("kvm_pr") : List.of();
            case PPC_UNIFIED -> type == 0 || type == PPC_HV || type == PPC_PR ? List.of(CORE) : List.of();
            case NONE -> List.of();
        };
    }

    /** The VM types worth trying in this layout. */
    public List<Long> vmTypes() {
        return kind == Kind.PPC_SPLIT || kind == Kind.PPC_UNIFIED ? List.of(0L, PPC_HV, PPC_PR) : List.of(0L);
    }

    /** Whether KVM_CREATE_VM of {@code type} must succeed now. */
    public boolean vmExpected(long type, Predicate<String> live) {
        return vmImplementations(type).stream().anyMatch(live);
    }
}
