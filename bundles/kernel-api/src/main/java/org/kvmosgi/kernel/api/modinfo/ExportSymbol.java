package org.kvmosgi.kernel.api.modinfo;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.CLASS;

import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import org.osgi.annotation.bundle.Attribute;
import org.osgi.annotation.bundle.Capability;

/**
 * EXPORT_SYMBOL / EXPORT_SYMBOL_GPL / EXPORT_SYMBOL_NS / EXPORT_SYMBOL_FOR_MODULES,
 * recorded as a {@code kernel.symbol} capability (the module's {@code __ksymtab}).
 */
@Retention(CLASS)
@Target(TYPE)
@Repeatable(ExportSymbol.List.class)
@Capability(namespace = ModInfo.SYMBOL_NAMESPACE)
public @interface ExportSymbol {
    @Attribute(ModInfo.SYMBOL_NAMESPACE)
    String value();

    /** EXPORT_SYMBOL_GPL: only GPL-compatible modules may link it. */
    @Attribute("gpl")
    boolean gpl() default false;

    /** EXPORT_SYMBOL_FOR_MODULES: only these modules may link it (empty: anyone). */
    @Attribute("for.modules")
    String[] forModules() default {};

    /** EXPORT_SYMBOL_NS: importers must MODULE_IMPORT_NS this namespace. */
    @Attribute("ns")
    String namespace() default "";

    @Retention(CLASS)
    @Target(TYPE)
    @interface List {
        ExportSymbol[] value();
    }
}
