package org.kvmosgi.kmod.systemd;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kmod.command.ModprobeCommand;
import org.kvmosgi.kmod.lib.Log;
import org.kvmosgi.kmod.tool.DepmodTool;
import org.kvmosgi.kmod.tool.Modprobe;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a distribution does at boot once the kmod tools are installed: {@code depmod -A}
 * (modules.dep written again when a module file is newer than it, so that it matches the
 * module files of this boot),
 * then systemd-modules-load: every module named in modules-load.d/*.conf (one a line,
 * '#' and ';' comments) and in {@code modules_load=} on the kernel command line, loaded
 * with the blacklist applied. Failures are logged and do not stop the others.
 *
 * <p>A module loaded here may call request_module, which runs {@code modprobe} through
 * Gogo, so Gogo must know that command first. This component references it and sorts
 * after it in the bundle's Service-Component header (its package name does that), so SCR
 * enables it once the command is registered and Gogo has seen the registration: the boot
 * steps run before the bundle's start returns. Should it still be activated while that
 * registration is being delivered (Gogo not told yet, e.g. the kernel came up after
 * this bundle), it runs the steps on a thread of its own once Gogo knows the command.
 */
@Component(immediate = true)
public class ModulesLoad {
    /** systemd's search path; a file name in an earlier directory hides the same name later. */
    static final List<String> DIRS = List.of("/etc/modules-load.d", "/run/modules-load.d",
            "/usr/local/lib/modules-load.d", "/usr/lib/modules-load.d", "/lib/modules-load.d");
    /** How long the boot thread waits for Gogo to learn the modprobe command. */
    static final long GOGO_WAIT_MS = 5000;

    private static final Logger DEPMOD = LoggerFactory.getLogger("depmod");
    private static final Logger LOAD = LoggerFactory.getLogger("systemd-modules-load");

    @Reference
    Syscalls sys;

    /** Only there to order activation after the command, see above. */
    @Reference
    ModprobeCommand modprobeCommand;

    /** Optional: without Gogo there is no modprobe for request_module to run, and nothing to wait for. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL)
    CommandProcessor gogo;

    @Activate
    void activate() {
        if (gogoKnowsModprobe()) {
            boot();
            return;
        }
        Thread t = new Thread(() -> {
            long end = System.currentTimeMillis() + GOGO_WAIT_MS;
            while (!gogoKnowsModprobe() && System.currentTimeMillis() < end) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            boot();
        }, "systemd-modules-load");
        t.setDaemon(true);
        t.start();
    }

    private boolean gogoKnowsModprobe() {
        if (gogo == null) {
            return true;
        }
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        try (CommandSession s = gogo.createSession(InputStream.nullInputStream(), quiet, quiet)) {
            return s.get("kmod:modprobe") != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** depmod -A, then every module to load at boot. */
    void boot() {
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
