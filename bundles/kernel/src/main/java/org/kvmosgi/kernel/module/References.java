package org.kvmosgi.kernel.module;

import static org.kvmosgi.kernel.api.Errno.EBUSY;
import static org.kvmosgi.kernel.api.Errno.ENOENT;

import org.kvmosgi.kernel.dev.Devices;

/**
 * Module references (kernel/module/main.c): the uses one module makes of another
 * (ref_module, module_unload_free: lsmod's "Used by") and the counted references code
 * takes on a module (try_module_get, module_put), all under module_mutex.
 */
public final class References implements Devices.ModuleRefs {
    private final ModuleList list;

    public References(ModuleList list) {
        this.list = list;
    }

    /** ref_module: record the use and take a reference, unless already done. Mutex held. */
    int refModule(KModule user, KModule owner) {
        if (owner == user || user.uses.contains(owner)) {
            return 0;
        }
        if (owner.state == ModuleState.COMING) {
            return EBUSY.neg();
        }
        if (owner.state != ModuleState.LIVE) {
            return ENOENT.neg();
        }
        owner.refcnt.get();
        owner.holders.add(user);
        user.uses.add(owner);
        return 0;
    }

    /** module_unload_free: drop every use and the reference it held. */
    void releaseUses(KModule mod) {
        list.change(() -> {
            for (KModule owner : mod.uses) {
                owner.holders.remove(mod);
                owner.refcnt.put();
            }
            mod.uses.clear();
            mod.imports.clear();
        });
    }

    /** try_module_get: false unless the module is LIVE (or COMING: its own init may open files). */
    @Override
    public boolean tryModuleGet(String name) {
        if (list.builtin(name) != null) {
            return true; // THIS_MODULE is NULL in built-in code: try_module_get(NULL) succeeds
        }
        return list.locked(() -> {
            KModule m = list.get(name.replace('-', '_'));
            if (m == null || (m.state != ModuleState.LIVE && m.state != ModuleState.COMING)) {
                return false;
            }
            m.refcnt.get();
            return true;
        });
    }

    /** module_put. */
    @Override
    public void modulePut(String name) {
        list.change(() -> {
            KModule m = list.get(name.replace('-', '_'));
            if (m != null) {
                m.refcnt.put();
            }
        });
    }
}
