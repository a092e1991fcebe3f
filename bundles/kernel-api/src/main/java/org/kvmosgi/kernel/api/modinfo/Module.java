package org.kvmosgi.kernel.api.modinfo;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.CLASS;

import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import org.osgi.annotation.bundle.Attribute;
import org.osgi.annotation.bundle.Capability;
import org.osgi.annotation.bundle.Header;

/**
 * A module's {@code .modinfo}: put on the module's class (a subclass of
 * {@code KernelModule}). bnd writes it into the manifest as a {@code kernel.module}
 * capability and makes the class the bundle's activator, so the kernel reads a
 * module without running it and loads it when the bundle starts.
 */
@Retention(CLASS)
@Target(TYPE)
@Capability(namespace = ModInfo.MODULE_NAMESPACE, attribute = "class=${@class}")
@Header(name = "Bundle-Activator", value = "${@class}")
public @interface Module {
    /** The module name as lsmod shows it ({@code kvm_intel}); '-' is written as '_'. */
    @Attribute(ModInfo.MODULE_NAMESPACE)
    String name();

    /** MODULE_LICENSE: "GPL", "GPL v2", "Dual BSD/GPL", "Proprietary", ... */
    @Attribute("license")
    String license();

    @Attribute("description")
    String description() default "";

    @Attribute("author")
    String author() default "";

    @Attribute("modversion")
    String version() default "";

    /** MODULE_ALIAS: patterns modprobe matches, e.g. {@code cpu:type:x86,*feature:*0085*}. */
    @Attribute("alias")
    String[] alias() default {};

    /** Symbols this module links against (its undefined symbols). */
    @Attribute("imports")
    String[] imports() default {};

    /** MODULE_SOFTDEP("pre: a b post: c"). */
    @Attribute("softdep")
    String softdep() default "";

    /** MODULE_WEAKDEP("name"): a module user space may want at hand, never loaded with this one. */
    @Attribute("weakdep")
    String weakdep() default "";

    /**
     * The named steps of init and exit that the module runs through
     * {@code ModuleContext.step}: its fault injection points, listed without loading it.
     */
    @Attribute("steps")
    String[] steps() default {};

    /** MODULE_IMPORT_NS. */
    @Attribute("import.ns")
    String[] importNamespaces() default {};

    /**
     * The name of the function {@code module_init()} names, as {@code initcall_debug}
     * prints it ({@code vmx_init} for kvm_intel); empty means {@code NAME_init}.
     */
    @Attribute("initcall")
    String initcall() default "";
}
