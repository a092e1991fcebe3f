package org.kvmosgi.launcher;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.osgi.framework.Constants;

/**
 * The framework properties the platform boots with, in one place for everything that
 * boots it: kvmsh's launcher, the explorer's and the benchmark's embedded platforms, and
 * test-support's Pax Exam options.
 */
public final class PlatformProperties {
    /** The host profile name (the kernel's boot parameter). */
    public static final String HOST = "kvmosgi.host";
    /** The absolute path of the root directory. */
    public static final String ROOT = "kvmosgi.root";
    /** The kernel release, {@code uname -r}. */
    public static final String RELEASE = "kvmosgi.release";
    /** The kernel command line. */
    public static final String CMDLINE = "kvmosgi.cmdline";

    private PlatformProperties() {}

    /** The properties that do not depend on the boot: logging, Gogo, system packages. */
    public static Map<String, String> platform(Path home) {
        Map<String, String> config = new HashMap<>();
        // Felix's own logger writes to stdout; its errors are framework events, which
        // pax-logging records in the file log
        config.put("felix.log.level", "0");
        // pax-logging-logback reads its file from org.ops4j.pax.logging.property.file at start
        // (and then ignores Configuration Admin); org.ops4j.pax.logging.logback.config.file is
        // the same setting under the name of its configuration property, kept for those who look
        // for it there. Logback rather than log4j2 behind pax-logging: its start costs about
        // half as much (docs/ARCHITECTURE.md, Speed)
        String logback = home.resolve("etc/logback.xml").toString();
        config.put("org.ops4j.pax.logging.property.file", logback);
        config.put("org.ops4j.pax.logging.logback.config.file", logback);
        config.put("org.ops4j.pax.logging.DefaultServiceLog.level", "ERROR");
        // Gogo jline: only its commands (grep, head, ...); its own background session reads
        // etc/gosh_profile below gosh.home and never prompts
        config.put("gosh.args", "--nointeractive");
        config.put("gosh.home", home.toString());
        // JLine's signal handling reaches for sun.misc.Signal
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "sun.misc");
        return config;
    }

    /**
     * {@link #platform} and one boot's own: the framework storage (cleaned at its first
     * initialisation), the host, the root, the release and the kernel command line.
     */
    public static Map<String, String> boot(Path home, Path storage, String host, Path root, String release,
            String cmdline) {
        Map<String, String> config = platform(home);
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(HOST, host);
        config.put(ROOT, root.toString());
        config.put(RELEASE, release);
        config.put(CMDLINE, cmdline);
        return config;
    }
}
