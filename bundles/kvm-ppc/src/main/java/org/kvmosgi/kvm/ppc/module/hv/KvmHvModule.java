package org.kvmosgi.kvm.ppc.module.hv;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.modinfo.Module;
import org.kvmosgi.kernel.api.modinfo.Param;
import org.kvmosgi.kernel.api.modinfo.ParamType;
import org.kvmosgi.kvm.ppc.api.HandleLoad;
import org.kvmosgi.kvm.ppc.api.HandleStore;
import org.kvmosgi.kvm.ppc.api.MmioAccess;
import org.kvmosgi.kvm.ppc.api.OpsSlot;
import org.kvmosgi.kvm.ppc.hv.KvmHv;
import org.kvmosgi.kvm.ppc.hv.v517.V517Init;

/**
 * kvm-hv.ko: Book3S HV KVM, plugged into kvm.ko through kvmppc_hv_ops. The kvm-hv-legacy
 * bundle packs the same classes plus {@code hv.v517} with {@value #V517_INIT} in its
 * {@value #KCONFIG}: a build of v5.17's init ({@link V517Init}), chosen when kvm-hv.ko is
 * built, as a kernel version is; kvm-hv does not contain that package at all.
 */
@Module(name = "kvm_hv", license = "GPL", initcall = "kvmppc_book3s_init_hv",
        imports = {"kvmppc_hv_ops", "kvmppc_handle_load", "kvmppc_handle_store"},
        steps = {"kvmhv_nested_init", "kvm_init_subcore_bitmap", "kvmppc_mmu_hv_init", "kvmppc_radix_init",
            "kvmppc_uvmem_init", "kvmppc_core_init_vm_hv"})
@Param(name = "nested", type = ParamType.BOOL, defaultValue = "Y", perm = "0644",
        description = "Enable nested virtualization (only on POWER9)")
@Param(name = "dynamic_mt_modes", type = ParamType.INT, defaultValue = "6", perm = "0644",
        description = "Set of allowed dynamic micro-threading modes: 0 (= none), 2, 4, or 6 (= 2 or 4)")
@Param(name = "target_smt_mode", type = ParamType.INT, defaultValue = "0", perm = "0644",
        description = "Target threads per core (0 = max)")
@Param(name = "indep_threads_mode", type = ParamType.BOOL, defaultValue = "Y", perm = "0644",
        description = "Independent-threads mode (only on POWER9)")
@Param(name = "one_vm_per_core", type = ParamType.BOOL, defaultValue = "N", perm = "0644",
        description = "Only run vCPUs from the same VM on a core (requires POWER8 or older)")
public class KvmHvModule extends KernelModule {
    /** The build configuration's resource, in .config syntax. */
    public static final String KCONFIG = "kvmosgi/kconfig";
    /** Model-only option: build kvm-hv.ko with v5.17's init order. */
    public static final String V517_INIT = "CONFIG_KVMOSGI_HV_V5_17_INIT=y";

    private KvmHv hv;

    @Override
    public int init(ModuleContext ctx) {
        KvmHv h = new KvmHv(ctx, ctx.symbol("kvmppc_hv_ops", OpsSlot.class),
                MmioAccess.of(ctx.symbol("kvmppc_handle_load", HandleLoad.class),
                        ctx.symbol("kvmppc_handle_store", HandleStore.class)),
                v517Init(getClass()) ? new V517Init() : null);
        int r = h.init();
        if (r == 0) {
            hv = h;
        } else {
            h.moduleFreed(); // the loader frees the module: its kvm_ops_hv with it
        }
        return r;
    }

    @Override
    public void exit(ModuleContext ctx) {
        hv.exit();
        hv.moduleFreed();
        hv = null;
    }

    /** Whether this bundle was built with {@value #V517_INIT}. */
    static boolean v517Init(Class<?> c) {
        try (InputStream in = c.getClassLoader().getResourceAsStream(KCONFIG)) {
            if (in == null) {
                return false;
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.strip().equals(V517_INIT)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
