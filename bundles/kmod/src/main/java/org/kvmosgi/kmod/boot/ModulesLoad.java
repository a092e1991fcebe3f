package org.kvmosgi.kmod.boot;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kmod.lib.Log;
import org.kvmosgi.kmod.tool.DepmodTool;
import org.kvmosgi.kmod.tool.Modprobe;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a distribution does at boot once the kmod tools are installed: {@code depmod -a}
 * (the package-install step, so that modules.dep matches the module files of this boot),
 * then systemd-modules-load: every module named in modules-load.d/*.conf (one a line,
 * '#' and ';' comments) and in {@code modules_load=} on the kernel command line, loaded
 * with the blacklist applied. Failures are logged and do not stop the others.
 */
@Component(immediate = true)
public class ModulesLoad {
    /** systemd's search path; a file name in an earlier directory hides the same name later. */
    static final List<String> DIRS = List.of("/etc/modules-load.d", "/run/modules-load.d",
            "/usr/local/lib/modules-load.d", "/usr/lib/modules-load.d", "/lib/modules-load.d");

    private static final Logger DEPMOD = LoggerFactory.getLogger("depmod");
    private static final Logger LOAD = LoggerFactory.getLogger("systemd-modules-load");

    @Reference
    Syscalls sys;

    /**
     * Only there to order activation: a module loaded here may call request_module, which
     * runs modprobe through Gogo, so the modprobe command must be registered first.
     */
    @Reference
    org.kvmosgi.kmod.command.ModprobeCommand modprobeCommand;

    @Activate
    void activate() {
        depmod();
        for (String name : modules(sys)) {
            load(name);
        }
    }

    private void depmod() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        try {
            new DepmodTool(sys, quiet, errStream).depmodAndReport(sys.kernelRelease());
        } catch (RuntimeException e) {
            DEPMOD.error("depmod -a failed at boot: {}", e.getMessage());
        }
        for (String line : err.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                DEPMOD.error(line);
            }
        }
    }

    private void load(String name) {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        try {
            new Modprobe(sys, quiet, quiet).modulesLoad(name, (prio, message) -> {
                if (prio <= Log.LOG_ERR) {
                    LOAD.error(message);
                } else if (prio <= Log.LOG_WARNING) {
                    LOAD.warn(message);
                } else if (prio <= Log.LOG_INFO) {
                    LOAD.info(message);
                } else {
                    LOAD.debug(message);
                }
            });
        } catch (RuntimeException e) {
            LOAD.error("Failed to insert module '{}': {}", name, e.toString());
        }
    }

    /** The module names to load, in the order systemd-modules-load takes them. */
    static List<String> modules(Syscalls sys) {
        List<String> out = new ArrayList<>();
        try {
            out.addAll(cmdlineModules(sys.read("/proc/cmdline")));
        } catch (ErrnoException e) {
            // no command line: only the files
        }
        Map<String, String> files = new TreeMap<>();
        for (String dir : DIRS) {
            List<String> names;
            try {
                names = sys.list(dir);
            } catch (ErrnoException e) {
                continue;
            }
            for (String n : names) {
                if (n.endsWith(".conf")) {
                    files.putIfAbsent(n, dir + "/" + n);
                }
            }
        }
        for (String path : files.values()) {
            try {
                out.addAll(parse(sys.read(path)));
            } catch (ErrnoException e) {
                LOAD.error("Failed to open {}: {}", path, e.strerror());
            }
        }
        return out;
    }

    /** One modules-load.d file: a module name a line; blank lines and '#'/';' comments skipped. */
    public static List<String> parse(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith(";")) {
                continue;
            }
            out.add(l);
        }
        return out;
    }

    /** {@code modules_load=a,b} and {@code rd.modules_load=} on the kernel command line. */
    public static List<String> cmdlineModules(String cmdline) {
        List<String> out = new ArrayList<>();
        for (String w : cmdline.strip().split("\\s+")) {
            for (String key : new String[] {"modules_load=", "rd.modules_load="}) {
                if (w.startsWith(key)) {
                    for (String m : w.substring(key.length()).split(",")) {
                        if (!m.isEmpty()) {
                            out.add(m);
                        }
                    }
                }
            }
        }
        return out;
    }
}
