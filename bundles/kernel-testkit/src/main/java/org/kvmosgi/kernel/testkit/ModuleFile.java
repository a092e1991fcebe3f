package org.kvmosgi.kernel.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.kvmosgi.kernel.api.KernelModule;

/**
 * A module file as bnd packs one from a module's annotations ({@code @Module},
 * {@code @ExportSymbol}, {@code @Param}): a jar whose manifest names the module's class as
 * {@code Bundle-Activator} and carries the .modinfo as {@code Provide-Capability}, with the
 * class file inside. A test writes one with the .modinfo it needs (exports, imports,
 * aliases, softdeps, parameters) around a {@link KernelModule} class of its own, and the
 * kernel loads it as it loads any module file: finit_module reads the .modinfo, resolves the
 * imports, parses the parameters and runs the class's init. The class comes from the test's
 * class path (the kernel's headers' loader is its parent): it must export exactly the
 * symbols declared here, as the loader checks for every module.
 */
public final class ModuleFile {
    private final String name;
    private final Class<? extends KernelModule> code;
    private String license = "GPL";
    private String description = "";
    private final List<String> aliases = new ArrayList<>();
    private final List<String> imports = new ArrayList<>();
    private final List<String> exports = new ArrayList<>();
    private final List<String> steps = new ArrayList<>();
    private final List<String> params = new ArrayList<>();
    private String softdep;

    private ModuleFile(String name, Class<? extends KernelModule> code) {
        this.name = name;
        this.code = code;
    }

    /** MODULE_NAME {@code name} (also the bundle's symbolic name), whose code is {@code code}. */
    public static ModuleFile of(String name, Class<? extends KernelModule> code) {
        return new ModuleFile(name, code);
    }

    /** MODULE_LICENSE (GPL unless set). */
    public ModuleFile license(String license) {
        this.license = license;
        return this;
    }

    /** MODULE_DESCRIPTION. */
    public ModuleFile description(String description) {
        this.description = description;
        return this;
    }

    /** MODULE_ALIAS, in order. */
    public ModuleFile alias(String... aliases) {
        this.aliases.addAll(List.of(aliases));
        return this;
    }

    /** The symbols the module links against (its undefined symbols). */
    public ModuleFile imports(String... symbols) {
        imports.addAll(List.of(symbols));
        return this;
    }

    /** EXPORT_SYMBOL (__ksymtab): what the code's {@code exports} puts. */
    public ModuleFile exports(String... symbols) {
        exports.addAll(List.of(symbols));
        return this;
    }

    /** MODULE_SOFTDEP ("pre: a post: b"). */
    public ModuleFile softdep(String softdep) {
        this.softdep = softdep;
        return this;
    }

    /** The steps of init and exit the code runs through {@code ModuleContext.step} (fail_function's points). */
    public ModuleFile steps(String... steps) {
        this.steps.addAll(List.of(steps));
        return this;
    }

    /** module_param: {@code type} is the kernel's (BOOL, INT, UINT, CHARP...), {@code perm} octal as "0644". */
    public ModuleFile param(String param, String type, String dflt, String perm) {
        params.add("kernel.param;kernel.param=" + param + ";type=" + type + ";default=" + quoted(dflt) + ";perm="
                + perm);
        return this;
    }

    /** The Provide-Capability header bnd writes for these annotations. */
    public String provideCapability() {
        StringBuilder b = new StringBuilder("kernel.module;class=").append(quoted(code.getName()))
                .append(";kernel.module=").append(name).append(";license=").append(quoted(license));
        if (!description.isEmpty()) {
            b.append(";description=").append(quoted(description));
        }
        list(b, "alias", aliases);
        list(b, "imports", imports);
        list(b, "steps", steps);
        if (softdep != null) {
            b.append(";softdep=").append(quoted(softdep));
        }
        for (String e : exports) {
            b.append(",kernel.symbol;kernel.symbol=").append(e);
        }
        for (String p : params) {
            b.append(',').append(p);
        }
        return b.toString();
    }

    private static void list(StringBuilder b, String attribute, List<String> values) {
        if (!values.isEmpty()) {
            // a List attribute's items are comma separated; a comma inside one is escaped (OSGi core 3.2.4)
            b.append(';').append(attribute).append(":List<String>=")
                    .append(quoted(String.join(",", values.stream().map(v -> v.replace(",", "\\,")).toList())));
        }
    }

    private static String quoted(String v) {
        return '"' + v.replace("\"", "\\\"") + '"';
    }

    /**
     * Writes the file (its directories made as needed): the manifest, then the code's class
     * file, whose bytes are the module's size as lsmod shows it.
     */
    public void writeTo(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.put(new Attributes.Name("Bundle-ManifestVersion"), "2");
        a.put(new Attributes.Name("Bundle-SymbolicName"), name);
        a.put(new Attributes.Name("Bundle-Activator"), code.getName());
        a.put(new Attributes.Name("Provide-Capability"), provideCapability());
        String classFile = code.getName().replace('.', '/') + ".class";
        try (OutputStream o = Files.newOutputStream(file); JarOutputStream j = new JarOutputStream(o, mf);
                InputStream in = code.getClassLoader().getResourceAsStream(classFile)) {
            if (in == null) {
                throw new IOException("no class file for " + code.getName());
            }
            j.putNextEntry(new JarEntry(classFile));
            in.transferTo(j);
            j.closeEntry();
        }
    }
}
