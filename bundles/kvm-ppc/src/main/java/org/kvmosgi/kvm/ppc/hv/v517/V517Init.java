package org.kvmosgi.kvm.ppc.hv.v517;

import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kvm.ppc.hv.KvmHv;

/**
 * kvmppc_book3s_init_hv() of v5.17, before Fabiano Rosas's 2021 series, with its three
 * mistakes: (1) kvmppc_hv_ops is set before kvmppc_mmu_hv_init() and kvmppc_uvmem_init()
 * and stays set when they fail, so kvm.ko keeps a pointer into a module that is freed;
 * (2) kvmppc_radix_init()'s result is overwritten by kvmppc_uvmem_init()'s, so a failed
 * radix init loads; (3) the error paths return without freeing what earlier steps allocated.
 * Only the kvm-hv-legacy bundle contains this package, as only a v5.17 build contains this code.
 */
public final class V517Init implements KvmHv.InitOrder {
    @Override
    public int init(KvmHv hv) {
        if (!hv.tlbieCapable()) {
            return Errno.ENODEV.neg();
        }
        // FIXME!! Do we need to check on all cpus ? (Linux's comment)
        if (!hv.processorCompatible()) {
            return Errno.ENODEV.neg();
        }
        int r = hv.step("kvmhv_nested_init");
        if (r != 0) {
            return r;
        }
        if (!hv.radixOn()) {
            r = hv.step("kvm_init_subcore_bitmap");
            if (r != 0) {
                return r;
            }
        }
        hv.setOps();
        r = hv.step("kvmppc_mmu_hv_init");
        if (r != 0) {
            return r;
        }
        if (hv.radixIsPossible()) {
            r = hv.step("kvmppc_radix_init");
        }
        r = hv.step("kvmppc_uvmem_init");
        if (r < 0) {
            hv.context().log("").err("KVM-HV: kvmppc_uvmem_init failed %d", r);
        }
        return r;
    }
}
