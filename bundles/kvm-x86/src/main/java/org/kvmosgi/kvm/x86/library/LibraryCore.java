package org.kvmosgi.kvm.x86.library;

import static org.kvmosgi.kvm.api.x86.KvmSymbols.*;

import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.SymbolExports;
import org.kvmosgi.kvm.api.x86.KvmSymbols;
import org.kvmosgi.kvm.api.dispatch.Dispatch;
import org.kvmosgi.kvm.x86.core.X86Arch;
import org.kvmosgi.kvm.x86.core.X86Exports;
import org.kvmosgi.kvm.x86.hw.CoreLink;
import org.kvmosgi.kvm.x86.linked.DirectLink;

/**
 * arch/x86 (x86.c, the MMU, the emulator) linked into a vendor module, with virt/kvm
 * and page_track left in kvm.ko: Paolo Bonzini's middle way in the KVM-monolithic
 * thread. Vendor and arch code call each other directly ({@link Dispatch#DIRECT});
 * kvm_init()/kvm_exit() are kvm.ko's, which gets the arch's kvm_arch_* hooks through
 * kvm_init. x86.c's exports come with it, so both vendors export them.
 */
public final class LibraryCore {
    private final X86Arch x86 = new X86Arch();

    /** x86.c's exports, from the vendor module. */
    public void exports(SymbolExports e) {
        X86Exports.exports(e, x86);
    }

    /** x86.c's module-wide state, first in the vendor's init. */
    public void init(ModuleContext ctx) {
        x86.moduleInit(ctx, Dispatch.DIRECT);
    }

    /** Direct calls into arch/x86; kvm_init/kvm_exit through kvm.ko's symbols. */
    public CoreLink link(ModuleContext ctx) {
        KvmSymbols.KvmInitArch kvmInit = ctx.symbol(KVM_INIT, KvmSymbols.KvmInitArch.class);
        KvmSymbols.VoidFn kvmExit = ctx.symbol(KVM_EXIT, KvmSymbols.VoidFn.class);
        return new DirectLink(x86, m -> kvmInit.kvmInit(x86, m), kvmExit::call);
    }
}
