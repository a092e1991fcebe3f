package org.kvmosgi.kvm.x86.monolithic;

import static org.kvmosgi.kvm.api.x86.KvmSymbols.*;

import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.SymbolExports;
import org.kvmosgi.kvm.api.x86.KvmSymbols;
import org.kvmosgi.kvm.api.x86.KvmVcpu;
import org.kvmosgi.kvm.api.x86.KvmVm;
import org.kvmosgi.kvm.virt.KvmMain;
import org.kvmosgi.kvm.api.dispatch.Dispatch;
import org.kvmosgi.kvm.x86.core.X86Arch;
import org.kvmosgi.kvm.x86.core.X86Exports;
import org.kvmosgi.kvm.x86.hw.CoreLink;
import org.kvmosgi.kvm.x86.linked.DirectLink;
import org.kvmosgi.kvm.x86.virt.VirtKvm;

/**
 * All of the core (virt/kvm, page_track, arch/x86) linked into a vendor module, as in
 * Andrea Arcangeli's "KVM monolithic" series (2019): the vendor calls the core directly
 * and the core calls the vendor directly ({@link Dispatch#DIRECT}: no kvm_x86_ops to
 * read, nothing to patch). The module still exports the core's symbols, so two such
 * modules cannot be loaded at once: the second fails at its formation with a duplicate
 * symbol, before its init runs.
 */
public final class LinkedCore {
    private final X86Arch x86 = new X86Arch();
    private volatile KvmMain<KvmVm, KvmVcpu> main;

    /** The core's exports, from the module that carries it. */
    public void exports(SymbolExports e) {
        e.put(KVM_INIT, KvmSymbols.KvmInit.class, this::kvmInit);
        e.put(KVM_EXIT, KvmSymbols.VoidFn.class, this::kvmExit);
        X86Exports.exports(e, x86);
        VirtKvm.exports(e, () -> main);
    }

    private int kvmInit(KvmSymbols.VcpuFactory cache, String module) {
        return x86.kvmInit(cache, module, m -> main.kvmInit(m));
    }

    private void kvmExit() {
        x86.kvmExit(() -> main.kvmExit());
    }

    /** kvm_x86_init(), run first by the module's init: module-wide state, virt/kvm linked. */
    public void init(ModuleContext ctx) {
        x86.moduleInit(ctx, Dispatch.DIRECT);
        main = new KvmMain<>(ctx, x86);
    }

    /** The vendor's calls into the core: plain calls of the functions linked in. */
    public CoreLink link() {
        return new DirectLink(x86, m -> main.kvmInit(m), () -> main.kvmExit());
    }
}
