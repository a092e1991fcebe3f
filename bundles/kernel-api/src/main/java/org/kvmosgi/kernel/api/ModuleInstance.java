package org.kvmosgi.kernel.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A {@code struct module} pointer: one loaded instance of a module, as
 * {@link KernelServices#tryModuleGetInstance} pinned it. Code that keeps a pointer into
 * another module (an ops table whose owner it pinned) keeps this with it: after a forced
 * unload the instance is freed, and a call through the pointer would run freed text; the
 * caller checks {@link #freed()} and oopses through
 * {@link KernelServices#oopsInFreedText} instead. A later load of the same name is another
 * instance.
 */
@ProviderType
public interface ModuleInstance {
    /** The module's name. */
    String name();

    /** Whether this instance was freed (a forced unload): its text and its count are gone. */
    boolean freed();
}
