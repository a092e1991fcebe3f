package org.kvmosgi.kernel.param;

import org.kvmosgi.kernel.api.modinfo.ParamType;

/** A declared module parameter (module_param + MODULE_PARM_DESC). */
public record ParamSpec(String name, ParamType type, String defaultValue, int perm, String description,
        java.util.List<String> values) {

    /** A parameter set by its type's standard parser alone. */
    public ParamSpec(String name, ParamType type, String defaultValue, int perm, String description) {
        this(name, type, defaultValue, perm, description, java.util.List.of());
    }

    /** Readable through sysfs at all (perm 0 hides it). */
    public boolean visible() {
        return perm != 0;
    }

    /** Writable after load (S_IWUSR). */
    public boolean writable() {
        return (perm & 0200) != 0;
    }
}
