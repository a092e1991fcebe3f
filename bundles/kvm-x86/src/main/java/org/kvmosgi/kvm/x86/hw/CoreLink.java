package org.kvmosgi.kvm.x86.hw;

import static org.kvmosgi.kvm.api.x86.KvmSymbols.*;

import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kvm.api.x86.KvmSymbols;
import org.kvmosgi.kvm.api.x86.KvmX86InitOps;

/**
 * How a vendor module's init and exit reach the core: through kvm.ko's exports (the
 * split layout, resolved once at init), or as functions linked into the same module
 * (monolithic: all of the core; library: arch/x86, with virt/kvm's kvm_init in kvm.ko).
 * Which one is a packaging choice; vmx_init and svm_init are written once.
 */
public interface CoreLink {
    /** The exit handlers' callbacks into the core. */
    CoreExports exports();

    /** kvm_x86_vendor_init(ops). */
    int vendorInit(KvmX86InitOps ops);

    /** kvm_x86_vendor_exit(). */
    void vendorExit();

    /** kvm_init(vcpu cache, module). */
    int kvmInit(KvmSymbols.VcpuFactory cache, String module);

    /** kvm_exit(). */
    void kvmExit();

    /** The split layout: every call goes to a symbol kvm.ko exports. */
    static CoreLink symbols(ModuleContext ctx) {
        CoreExports exports = new CoreExports(ctx);
        KvmSymbols.VendorInit vinit = ctx.symbol(KVM_X86_VENDOR_INIT, KvmSymbols.VendorInit.class);
        KvmSymbols.VoidFn vexit = ctx.symbol(KVM_X86_VENDOR_EXIT, KvmSymbols.VoidFn.class);
        KvmSymbols.KvmInit init = ctx.symbol(KVM_INIT, KvmSymbols.KvmInit.class);
        KvmSymbols.VoidFn exit = ctx.symbol(KVM_EXIT, KvmSymbols.VoidFn.class);
        return new CoreLink() {
            @Override
            public CoreExports exports() {
                return exports;
            }

            @Override
            public int vendorInit(KvmX86InitOps ops) {
                return vinit.vendorInit(ops);
            }

            @Override
            public void vendorExit() {
                vexit.call();
            }

            @Override
            public int kvmInit(KvmSymbols.VcpuFactory cache, String module) {
                return init.kvmInit(cache, module);
            }

            @Override
            public void kvmExit() {
                exit.call();
            }
        };
    }
}
