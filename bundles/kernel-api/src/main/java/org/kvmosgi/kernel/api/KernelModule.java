package org.kvmosgi.kernel.api;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceReference;

/**
 * The code of a loadable module: its {@code module_init} and {@code module_exit}.
 * Annotate the subclass with {@code @Module}; bnd makes it the bundle's activator, so
 * starting the bundle is loading the module and stopping it is unloading it. Both go
 * through the kernel's {@link ModuleLoader}, whichever way the start came
 * (insmod, modprobe, {@code felix:start}).
 *
 * <p>Kernel conventions hold: {@link #init} returns 0 or a negative errno and undoes
 * its own partial work before it returns an error.
 */
public abstract class KernelModule implements BundleActivator {

    /**
     * The module's exported symbols, handed over before the module turns COMING (like
     * {@code __ksymtab}, which exists before init runs). Every symbol declared with
     * {@code @ExportSymbol} must be put, and no other.
     */
    public void exports(SymbolExports exports) {
        // a module without exports
    }

    /** module_init: 0 on success, a negative errno on failure. */
    public abstract int init(ModuleContext ctx);

    /**
     * module_exit. A module that does not override it has no exit function and is
     * permanent: rmmod refuses it unless forced.
     */
    public void exit(ModuleContext ctx) {
        // no exit: see hasExit()
    }

    /** Whether this module's class overrides {@link #exit} (a C module with module_exit). */
    public final boolean hasExit() {
        return HAS_EXIT.get(getClass());
    }

    /**
     * {@link #hasExit} of each module class, looked up once per class (the loader asks at
     * every load): a cache the class itself carries, gone with its class loader.
     */
    private static final ClassValue<Boolean> HAS_EXIT = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            for (Class<?> c = type; c != KernelModule.class; c = c.getSuperclass()) {
                try {
                    c.getDeclaredMethod("exit", ModuleContext.class);
                    return true;
                } catch (NoSuchMethodException e) {
                    // look in the superclass
                }
            }
            return false;
        }
    };

    @Override
    public final void start(BundleContext context) throws Exception {
        withLoader(context, loader -> loader.load(context, this));
    }

    @Override
    public final void stop(BundleContext context) throws Exception {
        withLoader(context, loader -> loader.unload(context, this));
    }

    private interface LoaderCall {
        void call(ModuleLoader loader) throws BundleException;
    }

    private static void withLoader(BundleContext context, LoaderCall call) throws BundleException {
        ServiceReference<ModuleLoader> ref = context.getServiceReference(ModuleLoader.class);
        ModuleLoader loader = ref == null ? null : context.getService(ref);
        if (loader == null) {
            throw new BundleException("no kernel is running: a module can only load into the kernel bundle",
                    BundleException.ACTIVATOR_ERROR);
        }
        try {
            call.call(loader);
        } finally {
            context.ungetService(ref);
        }
    }
}
