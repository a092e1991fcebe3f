package org.kvmosgi.kvm.api.dispatch;

/**
 * How a core's call sites reach the vendor module, chosen at boot with
 * {@code kvm.dispatch=} (a 0444 parameter of kvm) or forced by the layout.
 */
public enum Dispatch {
    /** ops-&gt;op(): a function pointer read at every call (x86 before 5.12; PowerPC's kvmppc_ops today). */
    OPS("ops"),
    /** static_call(op): call sites patched when the vendor's ops are installed (x86 since 5.12). */
    STATIC_CALL("static_call"),
    /** Direct calls: core and vendor linked into one module (x86's monolithic layout, PowerPC's unified kvm.ko). */
    DIRECT("direct");

    /** The parameter's spelling. */
    public final String param;

    Dispatch(String param) {
        this.param = param;
    }

    /**
     * The style {@code kvm.dispatch=VALUE} names, or null for an unknown value; null or
     * empty is the architecture's {@code dflt}.
     */
    public static Dispatch parse(String value, Dispatch dflt) {
        if (value == null || value.isEmpty()) {
            return dflt;
        }
        for (Dispatch d : values()) {
            if (d.param.equals(value)) {
                return d;
            }
        }
        return null;
    }

    /** What kvm logs for a value {@link #parse} refused. */
    public static String invalid(String value) {
        return "invalid dispatch '" + value + "' (ops, static_call or direct)";
    }
}
