package org.kvmosgi.kernel.api;

/**
 * A module's parameter values, as parsed at load and changed later through
 * {@code /sys/module/NAME/parameters} where the permission allows. Reads see the
 * current value.
 */
public interface ModuleParams {
    boolean bool(String name);

    long integer(String name);

    String string(String name);
}
