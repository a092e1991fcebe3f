package org.kvmosgi.kvm.x86.kvmgt;

import static org.kvmosgi.kvm.api.x86.KvmSymbols.*;

import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.modinfo.Module;
import org.kvmosgi.kvm.api.x86.KvmSymbols;

/**
 * kvmgt.ko, the model's stand-in for a third user of the KVM core (i915's GVT-g, vfio):
 * it links against page_track's and kvm_main's exports, so loading it pins whichever
 * module exports them (kvm.ko in the split and library layouts, the loaded vendor module
 * in the monolithic one). It registers its notifier per VM when a vGPU opens, which the
 * model does not have; its init only links.
 */
@Module(name = "kvmgt", license = "GPL and additional rights", author = "Intel Corporation",
        description = "Intel mediated pass-through framework for KVM (model: a page-track user)",
        imports = {KVM_PAGE_TRACK_REGISTER_NOTIFIER, KVM_PAGE_TRACK_UNREGISTER_NOTIFIER, KVM_GET_KVM, KVM_PUT_KVM})
public class KvmgtModule extends KernelModule {
    private KvmSymbols.PageTrackNotifierFn register;
    private KvmSymbols.PageTrackNotifierFn unregister;

    /** kvmgt_init(): the symbols, resolved once. */
    @Override
    public int init(ModuleContext ctx) {
        register = ctx.symbol(KVM_PAGE_TRACK_REGISTER_NOTIFIER, KvmSymbols.PageTrackNotifierFn.class);
        unregister = ctx.symbol(KVM_PAGE_TRACK_UNREGISTER_NOTIFIER, KvmSymbols.PageTrackNotifierFn.class);
        return 0;
    }

    @Override
    public void exit(ModuleContext ctx) {
        register = null;
        unregister = null;
    }
}
