package org.kvmosgi.kernel.api.modinfo;

/** Names of the manifest namespaces that carry a module's .modinfo. */
public final class ModInfo {
    public static final String MODULE_NAMESPACE = "kernel.module";
    public static final String SYMBOL_NAMESPACE = "kernel.symbol";
    public static final String PARAM_NAMESPACE = "kernel.param";

    private ModInfo() {}
}
