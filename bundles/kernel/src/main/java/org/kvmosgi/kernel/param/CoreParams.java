package org.kvmosgi.kernel.param;

import java.util.List;
import org.kvmosgi.kernel.api.Printk;
import org.kvmosgi.kernel.api.modinfo.ParamType;

/**
 * The kernel's own {@code core_param}s: set from the kernel command line by their bare
 * name ({@code initcall_debug}) and shown under {@code /sys/module/kernel/parameters},
 * as init/main.c and kernel/params.c do.
 */
public final class CoreParams {
    /** The directory name sysfs shows them under. */
    public static final String SYSFS_NAME = "kernel";
    public static final String INITCALL_DEBUG = "initcall_debug";

    private final ParamValues values = new ParamValues(List.of(
            new ParamSpec(INITCALL_DEBUG, ParamType.BOOL, "N", 0644, "")));
    private final ParamSpec initcallDebug = values.find(INITCALL_DEBUG);

    /** Parses the command line's core params; a bad value is reported as parse_args does and the default stays. */
    public CoreParams(String cmdline, Printk printk) {
        for (ParamArgs.Arg a : ParamArgs.split(cmdline)) {
            ParamSpec spec = values.find(a.name());
            if (spec != null && values.set(spec, a.value()) < 0) {
                printk.err("Booting kernel: `%s' invalid for parameter `%s'", a.value() == null ? "" : a.value(),
                        a.name());
            }
        }
    }

    public ParamValues values() {
        return values;
    }

    /** initcall_debug: print a line before and after every initcall, with its time. */
    public boolean initcallDebug() {
        return values.bool(INITCALL_DEBUG);
    }
}
