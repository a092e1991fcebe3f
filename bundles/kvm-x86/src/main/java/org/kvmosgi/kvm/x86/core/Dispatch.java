package org.kvmosgi.kvm.x86.core;

/**
 * How the core's call sites reach the vendor module, chosen at boot with
 * {@code kvm.dispatch=} (a 0444 parameter of kvm) or forced by the layout.
 */
public enum Dispatch {
    /** kvm_x86_ops-&gt;op(): a function pointer read at every call (Linux before 5.12). */
    OPS("ops"),
    /** static_call(kvm_x86_op): call sites patched by kvm_ops_update() (Linux 5.12 and later). */
    STATIC_CALL("static_call"),
    /** The monolithic layout's direct calls: core and vendor linked into one module. */
    DIRECT("direct");

    /** What the model's 6.13 kernel does without kvm.dispatch=. */
    public static final Dispatch DEFAULT = STATIC_CALL;

    /** The parameter's spelling. */
    public final String param;

    Dispatch(String param) {
        this.param = param;
    }

    /** The style {@code kvm.dispatch=VALUE} names, or null for an unknown value; null or empty is the default. */
    public static Dispatch parse(String value) {
        if (value == null || value.isEmpty()) {
            return DEFAULT;
        }
        for (Dispatch d : values()) {
            if (d.param.equals(value)) {
                return d;
            }
        }
        return null;
    }
}
