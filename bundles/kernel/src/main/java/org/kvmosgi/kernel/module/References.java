package org.kvmosgi.kernel.module;

import static org.kvmosgi.kernel.api.Errno.EBUSY;
import static org.kvmosgi.kernel.api.Errno.ENOENT;

import java.util.List;
import org.kvmosgi.kernel.api.Printk;
import org.kvmosgi.kernel.dev.Devices;

/**
 * Module references (kernel/module/main.c): the uses one module makes of another
 * (ref_module, module_unload_free: lsmod's "Used by") and the counted references code
 * takes on a module (try_module_get, module_put), all under module_mutex. A reference
 * is on one instance of a module, as a struct module pointer is: a put reaches the
 * instance that was got, never a later load of the same name.
 */
public final class References implements Devices.ModuleRefs {
    private final ModuleList list;
    private final Printk printk;
    private final Oops oops;

    public References(ModuleList list, Printk printk, Oops oops) {
        this.list = list;
        this.printk = printk;
        this.oops = oops;
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
                put(owner);
            }
            mod.uses.clear();
            mod.imports.clear();
        });
    }

    /**
     * try_module_get on the module of that name: the instance now pinned, or null unless
     * it is LIVE (or COMING: its own init may open files). A built-in module is returned
     * unpinned: THIS_MODULE is NULL in built-in code and try_module_get(NULL) succeeds.
     */
    @Override
    public KModule tryModuleGet(String name) {
        KModule builtin = list.builtin(name);
        if (builtin != null) {
            return builtin;
        }
        return list.locked(() -> {
            KModule m = list.get(name.replace('-', '_'));
            if (m == null || (m.state != ModuleState.LIVE && m.state != ModuleState.COMING)) {
                return null;
            }
            m.refcnt.get();
            return m;
        });
    }

    /**
     * module_put on the instance that was got. A built-in module has no count; a freed
     * one's count went with it (Linux would write into freed memory), so neither changes.
     */
    @Override
    public void modulePut(Devices.Owner owner) {
        KModule m = (KModule) owner;
        if (m.freed || list.builtin(m.name) == m) {
            return;
        }
        list.change(() -> put(m));
    }

    @Override
    public void oopsInFreedText(Devices.Owner freed, List<String> callers) {
        oops.freedModuleText((KModule) freed, callers);
    }

    /** One put, refused below the base as the kernel's WARN_ON in module_put does. Mutex held. */
    private void put(KModule m) {
        if (!m.refcnt.put()) {
            printk.warn("WARNING: module_put: %s has no reference to put (refcount %d)", m.name, m.refcnt.value());
        }
    }
}
