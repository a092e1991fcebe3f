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
 * {@link Template#patch} defines a core's call-site template once more as a hidden class whose
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
     * A core's call-site template: the class file of {@code template} (a simple class name
     * in {@code lookup}'s package, the core's), read once here, when the core chose
     * static_call, and defined once more at every {@link Template#patch}. It is named,
     * never loaded as itself: a loaded template would be a second subclass of
     * {@code sites}, and the JIT would no longer bind the core's calls to the one patched
     * class. The core keeps the instance (no static state: each kvm load reads its own).
     */
    public static <T> Template<T> template(MethodHandles.Lookup lookup, String template, Class<T> sites) {
        try (InputStream in = lookup.lookupClass().getResourceAsStream(template + ".class")) {
            if (in == null) {
                throw new LinkageError("no class file for " + template);
            }
            return new Template<>(lookup, template, in.readAllBytes(), sites);
        } catch (IOException e) {
            throw new LinkageError("static call sites " + template, e);
        }
    }

    /** A core's template, read: {@link #patch} is static_call_update() of all its sites. */
    public static final class Template<T> {
        private final MethodHandles.Lookup lookup;
        private final String name;
        private final byte[] classFile;
        private final Class<T> sites;

        private Template(MethodHandles.Lookup lookup, String name, byte[] classFile, Class<T> sites) {
            this.lookup = lookup;
            this.name = name;
            this.classFile = classFile;
            this.sites = sites;
        }

        /**
         * The template defined once more as a hidden class of the core's package whose class
         * data is {@code targets} (null for an absent op), returned as the sites; its static
         * initializer reads the targets into static final fields
         * ({@link StaticCall#target(MethodHandles.Lookup, int, Class)}).
         */
        public T patch(List<?> targets) {
            try {
                MethodHandles.Lookup hidden = lookup.defineHiddenClassWithClassData(classFile,
                        Collections.unmodifiableList(new ArrayList<>(targets)), true);
                // the template's constructor is the core's business (package-private): its own lookup calls it
                return sites.cast(hidden.findConstructor(hidden.lookupClass(), MethodType.methodType(void.class)).invoke());
            } catch (Error | RuntimeException e) {
                throw e;
            } catch (Throwable e) {
                throw new LinkageError("static call sites " + name, e);
            }
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
