package org.kvmosgi.kvm.x86.virt;

import static org.kvmosgi.kvm.api.x86.KvmSymbols.*;

import java.util.function.Supplier;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.SymbolExports;
import org.kvmosgi.kernel.api.modinfo.ExportSymbol;
import org.kvmosgi.kernel.api.modinfo.Param;
import org.kvmosgi.kernel.api.modinfo.ParamType;
import org.kvmosgi.kvm.api.x86.KvmSymbols;
import org.kvmosgi.kvm.api.x86.KvmVcpu;
import org.kvmosgi.kvm.api.x86.KvmVm;
import org.kvmosgi.kvm.virt.KvmMain;

/**
 * virt/kvm as x86 links it, with page_track (arch/x86/kvm/mmu/page_track.c): the
 * parameters and exports of kvm_main.c and page_track.c, which travel with these
 * sources into whichever module carries them (kvm.ko in the split and library layouts,
 * each vendor module in the monolithic one). kvm_init/kvm_exit are put by the module
 * class, since their callers differ per layout.
 */
@Param(name = "halt_poll_ns", type = ParamType.UINT, defaultValue = "200000", perm = "0644")
@Param(name = "halt_poll_ns_grow", type = ParamType.UINT, defaultValue = "2", perm = "0644")
@Param(name = "halt_poll_ns_grow_start", type = ParamType.UINT, defaultValue = "10000", perm = "0644")
@Param(name = "halt_poll_ns_shrink", type = ParamType.UINT, defaultValue = "2", perm = "0644")
@Param(name = "enable_virt_at_load", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@ExportSymbol(value = KVM_INIT, gpl = true, forModules = {"kvm_intel", "kvm_amd"})
@ExportSymbol(value = KVM_EXIT, gpl = true, forModules = {"kvm_intel", "kvm_amd"})
@ExportSymbol(value = KVM_GET_KVM, gpl = true)
@ExportSymbol(value = KVM_PUT_KVM, gpl = true)
@ExportSymbol(value = KVM_PAGE_TRACK_REGISTER_NOTIFIER, gpl = true)
@ExportSymbol(value = KVM_PAGE_TRACK_UNREGISTER_NOTIFIER, gpl = true)
public final class VirtKvm {
    private static final int ESRCH = Errno.ESRCH.neg(), ENOENT = Errno.ENOENT.neg();

    private VirtKvm() {}

    /**
     * kvm_get_kvm, kvm_put_kvm and the page-track exports, reaching whichever kvm_main
     * is linked when they are called (none before kvm_init()).
     */
    public static void exports(SymbolExports e, Supplier<KvmMain<KvmVm, KvmVcpu>> main) {
        e.put(KVM_GET_KVM, KvmSymbols.KvmRef.class, kvm -> main.get().getKvm(kvm));
        e.put(KVM_PUT_KVM, KvmSymbols.KvmRef.class, kvm -> main.get().putKvm(kvm));
        e.put(KVM_PAGE_TRACK_REGISTER_NOTIFIER, KvmSymbols.PageTrackNotifierFn.class,
                (kvm, n) -> registerNotifier(main.get(), kvm, n));
        e.put(KVM_PAGE_TRACK_UNREGISTER_NOTIFIER, KvmSymbols.PageTrackNotifierFn.class,
                (kvm, n) -> unregisterNotifier(main.get(), kvm, n));
    }

    /** kvm_page_track_register_notifier(): the notifier holds a reference on the VM. */
    static int registerNotifier(KvmMain<KvmVm, KvmVcpu> main, KvmVm kvm, KvmSymbols.PageTrackNotifier n) {
        if (kvm == null || main == null) {
            return ESRCH;
        }
        main.getKvm(kvm);
        kvm.trackNotifiers.add(n);
        return 0;
    }

    /** kvm_page_track_unregister_notifier(): the reverse, and the VM reference goes. */
    static int unregisterNotifier(KvmMain<KvmVm, KvmVcpu> main, KvmVm kvm, KvmSymbols.PageTrackNotifier n) {
        if (kvm == null || main == null || !kvm.trackNotifiers.remove(n)) {
            return ENOENT;
        }
        main.putKvm(kvm);
        return 0;
    }
}
