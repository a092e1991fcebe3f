package org.kvmosgi.kernel.boot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.kvmosgi.kernel.KernelCore;
import org.kvmosgi.kernel.api.Printk;
import org.kvmosgi.kernel.module.Loader;
import org.kvmosgi.kernel.param.ParamArgs;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/**
 * do_initcalls for the modules built into the image (=y). The image's built-in module
 * bundles lie in {@value #IMAGE_DIR}RELEASE/ at their kbuild paths, listed in link order
 * by that directory's {@code modules.builtin}; each is installed and started once, at
 * boot, as an initcall: its exports become the kernel's, and a failing init does not stop
 * the boot.
 */
final class Initcalls {
    /** The kernel image's directory below the root, followed by the release. */
    static final String IMAGE_DIR = "boot/vmlinux-";

    private Initcalls() {}

    /** Runs the initcalls; returns the bundles installed, for the kernel's shutdown. */
    static List<Bundle> run(BundleContext context, KernelCore.Boot boot, Loader loader, Printk printk) {
        Path image = boot.root().resolve(IMAGE_DIR + boot.release());
        Path list = image.resolve("modules.builtin");
        List<Bundle> installed = new ArrayList<>();
        if (!Files.isRegularFile(list)) {
            return installed; // an image without built-in modules
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(list);
        } catch (IOException e) {
            printk.err("initcalls: cannot read %s: %s", list, e.getMessage());
            return installed;
        }
        for (String line : lines) {
            String rel = line.strip();
            if (rel.isEmpty()) {
                continue;
            }
            Path file = image.resolve(rel);
            String name = modname(rel);
            try {
                Bundle b = context.installBundle("reference:" + file.toUri());
                installed.add(b);
                loader.expect(b, new Loader.LoadRequest(cmdlineParams(boot.cmdline(), name), 0, true));
                b.start(Bundle.START_TRANSIENT);
            } catch (BundleException | IllegalStateException e) {
                printk.err("initcalls: %s: %s", name, e.getMessage());
            }
        }
        return installed;
    }

    /** kbuild's module name of a path: the file name without .ko, '-' as '_'. */
    static String modname(String rel) {
        String f = rel.substring(rel.lastIndexOf('/') + 1);
        int dot = f.indexOf('.');
        return (dot < 0 ? f : f.substring(0, dot)).replace('-', '_');
    }

    /** The command line's {@code NAME.param[=value]} words for one module, as {@code param[=value]}. */
    static String cmdlineParams(String cmdline, String module) {
        StringBuilder b = new StringBuilder();
        for (ParamArgs.Arg a : ParamArgs.split(cmdline)) {
            int dot = a.name().indexOf('.');
            if (dot <= 0 || !a.name().substring(0, dot).replace('-', '_').equals(module)) {
                continue;
            }
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(a.name().substring(dot + 1));
            if (a.value() != null) {
                String v = a.value();
                b.append('=').append(v.indexOf(' ') >= 0 ? '"' + v + '"' : v);
            }
        }
        return b.toString();
    }
}
