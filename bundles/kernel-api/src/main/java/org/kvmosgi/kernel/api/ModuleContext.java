package org.kvmosgi.kernel.api;

import java.util.function.IntSupplier;
import org.kvmosgi.kernel.api.host.Host;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What the kernel gives a module's init and exit: its name, printk, its resolved
 * imports, its parameters, the host, and the kernel services a module uses. Every
 * resource taken through it is accounted to the module.
 */
@ProviderType
public interface ModuleContext {

    /** The module name (KBUILD_MODNAME). */
    String name();

    /** printk with pr_fmt set to {@code "NAME: "}, as most modules define it. */
    Printk log();

    /** printk with a pr_fmt of the caller's choice ({@code ""} for none). */
    Printk log(String prefix);

    /**
     * A symbol this module imports, resolved by the loader before init ran. Asking for
     * a symbol the module did not declare in {@code @Module(imports=...)} is a link
     * error in C; here it throws {@link IllegalArgumentException}.
     */
    <T> T symbol(String name, Class<T> type);

    /** The module's parameters, parsed before init. */
    ModuleParams params();

    /** The simulated machine the kernel runs on. */
    Host host();

    /** Kernel facilities (devices, module references, request_module, memory). */
    KernelServices kernel();

    /**
     * Runs one named step of this module's init or exit ({@code hardware_setup},
     * {@code radix_init}...) and returns its result: 0 or a negative errno. The step is
     * an injection point {@code MODULE:NAME} for the kernel's fail_function: when armed,
     * the body does not run and the injected errno is returned instead, exactly as
     * ALLOW_ERROR_INJECTION functions are overridden. Declare the names in
     * {@code @Module(steps = ...)} so they can be listed before the module loads.
     */
    default int step(String name, IntSupplier body) {
        return body.getAsInt();
    }
}
