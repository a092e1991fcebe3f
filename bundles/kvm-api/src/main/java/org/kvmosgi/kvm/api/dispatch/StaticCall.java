package org.kvmosgi.kvm.api.dispatch;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;
import java.util.ArrayList;
import java.util.List;

/**
 * One static call: {@code DEFINE_STATIC_CALL_NULL(name, func)} as a {@link MutableCallSite}.
 * {@link #update} is static_call_update() (a direct call of the vendor's function from
 * then on), {@link #updateOptional} the two variants for an op a vendor may leave out
 * (static_call_cond: a void op becomes nothing; {@code __static_call_return0}: any other
 * returns 0), {@link #unpatch} what vendor exit leaves: a mandatory op's site BUGs (the
 * model's stand-in for calling into a module that is gone), an optional one's does nothing
 * or returns 0 again. A core calls its sites through {@link #define}'s hidden class.
 */
public final class StaticCall {
    /** What {@link #target} says of a site patched to nothing or to 0, and of one patched to no vendor. */
    public static final String NOP = "__static_call_nop", RETURN0 = "__static_call_return0", NULL = "(null)";

    private static final MethodHandles.Lookup LOOKUP = MethodHandles.publicLookup();

    /** The static call's name ({@code kvm_x86_vcpu_run}, {@code kvmppc_hv_ops.vcpu_run}). */
    public final String name;
    public final MutableCallSite site;
    private final MethodHandle method;
    private final MethodHandle unpatched;
    private final String unpatchedTarget;
    private volatile String target;

    /**
     * A site calling {@code owner.methodName} of the type {@code type} (without the receiver).
     * {@code optional}: unpatched, it does nothing or returns 0 instead of BUGging.
     */
    public StaticCall(String name, Class<?> owner, String methodName, MethodType type, boolean optional) {
        this.name = name;
        try {
            this.method = LOOKUP.findVirtual(owner, methodName, type);
        } catch (ReflectiveOperationException e) {
            throw new LinkageError(name, e);
        }
        if (optional) {
            this.unpatched = MethodHandles.empty(type);
            this.unpatchedTarget = empty(type);
        } else {
            MethodHandle bug = MethodHandles.throwException(type.returnType(), IllegalStateException.class)
                    .bindTo(new IllegalStateException("BUG: static call " + name + " with no vendor module"));
            this.unpatched = MethodHandles.dropArguments(bug, 0, type.parameterList());
            this.unpatchedTarget = NULL;
        }
        this.site = new MutableCallSite(unpatched);
        this.target = unpatchedTarget;
    }

    /** A mandatory op's site. */
    public StaticCall(String name, Class<?> owner, String methodName, MethodType type) {
        this(name, owner, methodName, type, false);
    }

    private static String empty(MethodType type) {
        return type.returnType() == void.class ? NOP : RETURN0;
    }

    /** static_call_update(name, the vendor's {@code symbol}): a direct call of {@code receiver}'s method from now on. */
    public void update(Object receiver, String symbol) {
        site.setTarget(method.bindTo(receiver));
        target = symbol;
    }

    /** An optional op: the function, or nothing (static_call_cond) / 0 (__static_call_return0) when {@code fn} is null. */
    public void updateOptional(Object fn, String symbol) {
        if (fn != null) {
            update(fn, symbol);
        } else {
            // MethodHandles.empty returns the type's zero: 0 (false) for _RET0, nothing for a void op
            site.setTarget(MethodHandles.empty(site.type()));
            target = empty(site.type());
        }
    }

    /** Vendor exit: back to the NULL state. */
    public void unpatch() {
        site.setTarget(unpatched);
        target = unpatchedTarget;
    }

    /** Where the site points now: the vendor's function, {@link #NOP}, {@link #RETURN0} or {@link #NULL}. */
    public String target() {
        return target;
    }

    /** Makes every thread see the sites' new targets (text_poke_sync() after patching). */
    public static void syncAll(StaticCall... calls) {
        MutableCallSite[] s = new MutableCallSite[calls.length];
        for (int i = 0; i < calls.length; i++) {
            s[i] = calls[i].site;
        }
        MutableCallSite.syncAll(s);
    }

    /**
     * Defines {@code template}'s class file once more as a hidden class of {@code lookup}'s
     * package whose class data is the list of the sites' invokers, in {@code calls}' order,
     * and returns its instance as {@code sites}. The template reads them into static final
     * fields ({@code MethodHandles.classDataAt}): constants the JIT folds and inlines
     * through, recompiling when a site is retargeted. One hidden class per call, owned by
     * the caller (a core per load): no static state survives an unload.
     */
    public static <T> T define(MethodHandles.Lookup lookup, Class<? extends T> template, Class<T> sites,
            StaticCall... calls) {
        List<MethodHandle> invokers = new ArrayList<>();
        for (StaticCall c : calls) {
            invokers.add(c.site.dynamicInvoker());
        }
        String file = template.getName().substring(template.getName().lastIndexOf('.') + 1) + ".class";
        try (InputStream in = template.getResourceAsStream(file)) {
            if (in == null) {
                throw new LinkageError("no class file for " + template.getName());
            }
            MethodHandles.Lookup hidden = lookup.defineHiddenClassWithClassData(in.readAllBytes(),
                    List.copyOf(invokers), true);
            // the template's constructor is the caller's business (package-private): its own lookup calls it
            return sites.cast(hidden.findConstructor(hidden.lookupClass(), MethodType.methodType(void.class)).invoke());
        } catch (Error | RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new LinkageError("static call sites of " + template.getName(), e);
        }
    }

    /** What a template's call does with what its invokeExact threw: the vendor's unchecked exceptions pass. */
    public static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException) {
            throw (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        throw new IllegalStateException(t);
    }

    /** The index of a site's invoker in {@code lookup}'s hidden class data ({@link #define}). */
    public static MethodHandle invoker(MethodHandles.Lookup lookup, int index) {
        try {
            return MethodHandles.classDataAt(lookup, java.lang.constant.ConstantDescs.DEFAULT_NAME, MethodHandle.class,
                    index);
        } catch (IllegalAccessException e) {
            throw new LinkageError("static call site " + index, e);
        }
    }
}
