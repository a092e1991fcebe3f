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

    /**
     * The module changes its own parameter variable, as C code assigns
     * {@code enable_ept = 0} when the CPU lacks the feature: sysfs shows the new value.
     * No permission check applies. Returns 0, or -EINVAL when the value does not parse.
     */
    int update(String name, String value);
}
