package org.kvmosgi.kvm.ppc;

import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kvm.api.dispatch.Dispatch;

/**
 * kvm, kvm_hv and kvm_pr loaded the way kvm-ppc's unit tests load them (their
 * {@code CoreTest.Split} over kernel-testkit's {@code TestKernel}), with the system calls kvmtool's
 * VMM needs on top. It lives in the tests' package because their harness is
 * package-private; it is on the class path with kvm-ppc's test-jar, never in a bundle.
 */
public final class PpcKernels {
    private PpcKernels() {}

    /**
     * A POWER8 host (HV mode, HPT: kvm_pr refuses a radix POWER9) with kvm loaded with
     * {@code kvm.dispatch=style} and kvm_hv and kvm_pr: both VM types can be created.
     */
    public static Syscalls hvAndPr(Dispatch style) {
        CoreTest.Split s = new CoreTest.Split("power8", style);
        check("kvm_hv", s.loadHv());
        check("kvm_pr", s.loadPr());
        return s.k.syscalls();
    }

    /** The same host with kvm and only kvm_hv ({@code hv}) or only kvm_pr: one implementation's class is ever loaded. */
    public static Syscalls only(boolean hv, Dispatch style) {
        CoreTest.Split s = new CoreTest.Split("power8", style);
        if (hv) {
            check("kvm_hv", s.loadHv());
        } else {
            check("kvm_pr", s.loadPr());
        }
        return s.k.syscalls();
    }

    private static void check(String what, int r) {
        if (r != 0) {
            throw new IllegalStateException(what + " failed: " + r);
        }
    }
}
