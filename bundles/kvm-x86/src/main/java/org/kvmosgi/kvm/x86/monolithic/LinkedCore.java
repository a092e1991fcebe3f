package org.kvmosgi.kvm.x86.monolithic;

import static org.kvmosgi.kvm.api.x86.KvmSymbols.*;

import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.SymbolExports;
import org.kvmosgi.kvm.api.x86.KvmSymbols;
import org.kvmosgi.kvm.api.x86.KvmVcpu;
import org.kvmosgi.kvm.api.x86.KvmVm;
import org.kvmosgi.kvm.api.x86.KvmX86InitOps;
import org.kvmosgi.kvm.virt.KvmMain;
import org.kvmosgi.kvm.x86.core.Dispatch;
import org.kvmosgi.kvm.x86.core.X86Arch;
import org.kvmosgi.kvm.x86.core.X86Exports;
import org.kvmosgi.kvm.x86.hw.CoreExports;
import org.kvmosgi.kvm.x86.hw.CoreLink;
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
        return x86.kvmInit(cache, module, main::kvmInit);
    }

    private void kvmExit() {
        x86.kvmExit(main::kvmExit);
    }

    /** kvm_x86_init(), run first by the module's init: module-wide state, virt/kvm linked. */
    public void init(ModuleContext ctx) {
        x86.moduleInit(ctx, Dispatch.DIRECT);
        main = new KvmMain<>(ctx, x86);
    }

    /** The vendor's calls into the core: plain calls of the functions linked in. */
    public CoreLink link() {
        CoreExports exports = new CoreExports(x86::emulateCpuid, x86::emulateHalt, x86::emulateHypercall,
                x86::emulateRdmsr, x86::emulateWrmsr, x86::skipEmulatedInstruction, x86::emulateInstruction,
                x86::completeInsnGp, x86::fastPio, x86::getCr8, x86::setCr8, x86::mmuPageFault);
        return new CoreLink() {
            @Override
            public CoreExports exports() {
                return exports;
            }

            @Override
            public int vendorInit(KvmX86InitOps ops) {
                return x86.vendorInit(ops);
            }

            @Override
            public void vendorExit() {
                x86.vendorExit();
            }

            @Override
            public int kvmInit(KvmSymbols.VcpuFactory cache, String module) {
                return LinkedCore.this.kvmInit(cache, module);
            }

            @Override
            public void kvmExit() {
                LinkedCore.this.kvmExit();
            }
        };
    }
}
