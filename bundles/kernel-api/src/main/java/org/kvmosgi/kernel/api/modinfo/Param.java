package org.kvmosgi.kernel.api.modinfo;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.CLASS;

import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import org.osgi.annotation.bundle.Attribute;
import org.osgi.annotation.bundle.Capability;

/** module_param(name, type, perm) with MODULE_PARM_DESC, as a {@code kernel.param} capability. */
@Retention(CLASS)
@Target(TYPE)
@Repeatable(Param.List.class)
@Capability(namespace = ModInfo.PARAM_NAMESPACE)
public @interface Param {
    @Attribute(ModInfo.PARAM_NAMESPACE)
    String name();

    @Attribute("type")
    ParamType type();

    /** The initial value, written as a user would write it on the command line. */
    @Attribute("default")
    String defaultValue();

    /** sysfs permission, octal as in C: "0444", "0644"; "0" hides it from sysfs. */
    @Attribute("perm")
    String perm() default "0444";

    @Attribute("description")
    String description() default "";

    /**
     * A parameter with its own {@code kernel_param_ops.set} that looks the value up in a
     * fixed table (kvm_intel's vmentry_l1d_flush: auto, never, cond, always): the accepted
     * values, compared as sysfs_streq does (one trailing newline ignored). Anything else is
     * -EINVAL, at load as through sysfs. Empty: the type's standard parser alone.
     */
    @Attribute("values")
    String[] values() default {};

    @Retention(CLASS)
    @Target(TYPE)
    @interface List {
        Param[] value();
    }
}
