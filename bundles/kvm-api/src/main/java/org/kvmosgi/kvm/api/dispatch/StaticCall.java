package org.kvmosgi.kvm.api.dispatch;

import java.io.IOException;
import java.io.InputStream;
import java.lang.constant.ConstantDescs;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * static_call on the JVM. Linux patches each call instruction when the vendor's ops are
 * installed (static_call_update(): a direct call of the vendor's function, nothing for an
 * absent void op with static_call_cond, {@code __static_call_return0} for an absent _RET0
 * op) and unpatches them at vendor exit. The model does the same with code generation:
 * {@link #patch} defines a core's call-site template once more as a hidden class whose
 * static final fields are the current targets (its class data), and the core calls that
 * instance from then on. Both JITs fold a static final, so each call binds directly to
 * the vendor's method and an absent op's test folds away: C1 (./kvmsh) included, which
 * does not fold a {@code MutableCallSite}'s target. Each patch's class belongs to the core that defined it and is unloaded
 * with it: nothing static survives an unload.
 *
 * <p>An instance records one site for {@code /sys/kernel/debug/kvm/dispatch}: its name and
 * where it points now.
 */
public final class StaticCall {
    /** What {@link #target} says of a site patched to nothing, to 0, and of an unpatched one. */
    public static final String NOP = "__static_call_nop", RETURN0 = "__static_call_return0", NULL = "(null)";

    /** The static call's name ({@code kvm_x86_vcpu_run}, {@code kvmppc_hv_ops.vcpu_run}). */
    public final String name;
    private volatile String target = NULL;

    public StaticCall(String name) {
        this.name = name;
    }

    /** Patched to the vendor's function {@code symbol}. */
    public void update(String symbol) {
        target = symbol;
    }

    /** An optional op: patched to {@code symbol} when {@code present}, else to nothing (void) or 0. */
    public void updateOptional(boolean present, String symbol, boolean isVoid) {
        target = present ? symbol : isVoid ? NOP : RETURN0;
    }

    /** Vendor exit: back to the NULL state. */
    public void unpatch() {
        target = NULL;
    }

    /** Where the site points now: the vendor's function, {@link #NOP}, {@link #RETURN0} or {@link #NULL}. */
    public String target() {
        return target;
    }

    /**
     * static_call_update() of a core's sites: the class file of {@code template} (a simple
     * class name in {@code lookup}'s package, the core's) defined once more as a hidden class
     * of that package, whose class data is {@code targets} (null for an absent op), returned
     * as {@code sites}. The template reads its targets into static final fields
     * ({@link #target(MethodHandles.Lookup, int, Class)}). It is named, never loaded as
     * itself: a loaded template would be a second subclass of {@code sites}, and the JIT
     * would no longer bind the core's calls to the one patched class.
     */
    public static <T> T patch(MethodHandles.Lookup lookup, String template, Class<T> sites, List<?> targets) {
        try (InputStream in = lookup.lookupClass().getResourceAsStream(template + ".class")) {
            if (in == null) {
                throw new LinkageError("no class file for " + template);
            }
            MethodHandles.Lookup hidden = lookup.defineHiddenClassWithClassData(in.readAllBytes(),
                    Collections.unmodifiableList(new ArrayList<>(targets)), true);
            // the template's constructor is the core's business (package-private): its own lookup calls it
            return sites.cast(hidden.findConstructor(hidden.lookupClass(), MethodType.methodType(void.class)).invoke());
        } catch (Error | RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new LinkageError("static call sites " + template, e);
        }
    }

    /** What a template's static initializer reads: the target at {@code index} of its class data, or null. */
    public static <T> T target(MethodHandles.Lookup lookup, int index, Class<T> type) {
        try {
            return MethodHandles.classDataAt(lookup, ConstantDescs.DEFAULT_NAME, type, index);
        } catch (IllegalAccessException e) {
            throw new LinkageError("static call target " + index, e);
        }
    }

    /** What a patched site with no target does when called: the model's stand-in for calling into a module that is gone. */
    public static IllegalStateException bug(String site) {
        return new IllegalStateException("BUG: static call " + site + " with no vendor module");
    }
}
