package org.kvmosgi.kernel.module;

import java.util.ArrayList;
import java.util.List;
import org.kvmosgi.kernel.api.Allocation;
import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.Printk;
import org.kvmosgi.kernel.inject.CurrentStep;

/**
 * Modules on the kernel's own module list without a bundle and without a load: what a
 * unit test of a module's code needs of the list, its references and kmalloc's accounting
 * (kernel-testkit's {@code TestKernel}). The test runs the module's init itself; this puts
 * the module on the list, makes it GOING when its init failed or its exit ran, and charges
 * its kmallocs to it as {@link KmallocObject}s. It sits in the loader's package, in the test kit's jar, as the
 * kernel's own unit tests do: the kernel bundle exports none of it.
 *
 * <p>Why this is not the loader's path ({@code Loader.load} with a {@code ModuleImage}): the
 * loader reads a module's .modinfo (its imports, exports, parameter declarations) before it
 * runs any code, and a module class on a unit test's class path has none: bnd writes it from
 * the class-retention annotations when the bundle is packed, after the unit tests ran. The
 * test says what the .modinfo would, and this keeps the rest (the module list, references,
 * kmalloc's accounting) the kernel's. A test that has a .modinfo to give loads a module file
 * through the real loader instead (kernel-testkit's {@code ModuleFile}, as kmod's tests do).
 */
public final class BareModules {
    private final ModuleList list;
    private final References refs;

    public BareModules(ModuleList list, References refs) {
        this.list = list;
        this.refs = refs;
    }

    /** The module that runs no code of its own: the test calls the module's classes directly. */
    private static final class NoCode extends KernelModule {
        @Override
        public int init(ModuleContext ctx) {
            return 0;
        }
    }

    /**
     * On the list as LIVE, unless it is there already: the test runs init itself, and
     * references on the module succeed during its init and after it, as they do while it is
     * COMING and once it is LIVE.
     */
    public void live(String name) {
        list.lock();
        try {
            if (list.get(name) == null) {
                list.add(new KModule(name, null, null, new NoCode(), 0, 0));
            }
        } finally {
            list.unlock();
        }
        list.setState(mod(name), ModuleState.LIVE);
    }

    /** On the list as COMING, as add_unformed_module and the load put it before init; -EEXIST when it is there. */
    public int coming(String name) {
        list.lock();
        try {
            if (list.get(name) != null) {
                return org.kvmosgi.kernel.api.Errno.EEXIST.neg();
            }
            list.add(new KModule(name, null, null, new NoCode(), 0, 0));
        } finally {
            list.unlock();
        }
        list.setState(mod(name), ModuleState.COMING);
        return 0;
    }

    /**
     * verify_namespace_is_imported for {@code user} (which imports no namespace) linking
     * {@code symbol} from namespace {@code ns}: 0, or the loader's own answer (-EINVAL, "module
     * uses symbol (...) from namespace module:..., but does not import it.").
     */
    public int verifyNamespace(Printk printk, String user, String symbol, String ns) {
        return SymbolResolver.verifyNamespace(printk, user, List.of(), symbol, ns);
    }

    /** ref_module: {@code user} links a symbol of {@code owner} (lsmod's "Used by"). */
    public int use(String user, String owner) {
        KModule u = mod(user);
        KModule o = mod(owner);
        list.lock();
        try {
            return refs.refModule(u, o);
        } finally {
            list.unlock();
        }
    }

    /** Off the list, its uses of other modules dropped (a failed load, or delete_module after exit). */
    public void remove(String name) {
        KModule m = mod(name);
        refs.releaseUses(m);
        list.remove(m);
    }

    /** The modules that use this one. */
    public List<String> holders(String name) {
        KModule m = find(name);
        return m == null ? List.of() : list.locked(m::holderNames);
    }

    /**
     * try_module_get from {@code user}'s code: the instance of {@code module} pinned and
     * counted as {@code user}'s, as the loader's module context counts it.
     */
    public KModule tryModuleGet(String user, String module) {
        KModule owner = refs.tryModuleGet(module.replace('-', '_'));
        if (owner == null) {
            return null;
        }
        KModule u = find(user);
        if (u != null) {
            u.refsTaken.merge(owner, 1, Integer::sum);
        }
        return owner;
    }

    /** The oops of a call into the freed instance's text, as the kernel prints it. */
    public void oopsInFreedText(org.kvmosgi.kernel.api.ModuleInstance freed, List<String> callers) {
        refs.oopsInFreedText((KModule) freed, callers);
    }

    /**
     * module_put from {@code user}'s code on the instance it pinned; a put of a reference
     * the test's code took outside any module (or through another module's context) goes
     * to the instance of that name.
     */
    public void modulePut(String user, String module) {
        String name = module.replace('-', '_');
        KModule u = find(user);
        KModule owner = null;
        if (u != null) {
            for (KModule m : u.refsTaken.keySet()) {
                if (m.name.equals(name)) {
                    owner = m;
                }
            }
        }
        if (owner != null) {
            u.refsTaken.computeIfPresent(owner, (k, n) -> n > 1 ? n - 1 : null);
        } else {
            owner = find(name);
        }
        if (owner != null) {
            refs.modulePut(owner);
        }
    }

    /** Its init failed or its exit ran: GOING, so that try_module_get on it fails; what it holds stays counted. */
    public void going(String name) {
        list.setState(mod(name), ModuleState.GOING);
    }

    public ModuleState state(String name) {
        KModule m = find(name);
        return m == null ? null : m.state;
    }

    /** module_refcount(): the references above the base (open files, try_module_get). */
    public int refcount(String name) {
        KModule m = find(name);
        return m == null ? 0 : m.refcount();
    }

    /** kmalloc charged to the module, at the step it runs in, as the loader's context charges it. */
    public Allocation kmalloc(String module, String what, long size, long address, Runnable onDoubleFree) {
        KModule m = mod(module);
        KmallocObject a = new KmallocObject(m, what, size, address, onDoubleFree);
        String step = CurrentStep.get();
        m.allocations.put(a, step == null ? module : step);
        return a;
    }

    /** What the module still holds of kmalloc, by what it was for. */
    public List<String> allocations(String module) {
        KModule m = find(module);
        List<String> out = new ArrayList<>();
        if (m != null) {
            m.allocations.keySet().forEach(a -> out.add(a.what));
        }
        return out;
    }

    private KModule find(String name) {
        return list.locked(() -> list.get(name.replace('-', '_')));
    }

    private KModule mod(String name) {
        KModule m = find(name);
        if (m == null) {
            throw new IllegalArgumentException(name + " is not on the module list");
        }
        return m;
    }
}
