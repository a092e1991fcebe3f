package org.kvmosgi.playground;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.testkit.RecordedSyscalls;
import org.kvmosgi.kmod.Run;
import org.kvmosgi.kmod.lib.Kmod;
import org.kvmosgi.kmod.lib.Log;
import org.kvmosgi.kmod.tool.DepmodTool;
import org.kvmosgi.kmod.tool.Modinfo;
import org.kvmosgi.kmod.tool.Modprobe;

/**
 * One scenario's root file system, as kmod's testsuite sets it up: TC_UNAME_R, the files
 * of rootfs-pristine/&lt;test&gt; (written by each test, line for line), the playground
 * modules scripts/setup-rootfs.sh copies in (here: this module's bundles), and the kernel
 * under the testsuite's traps ({@link TestsuiteKernel}: init_module records the load without
 * linking, TC_INIT_MODULE_RETCODES = "").
 */
final class Rootfs {
    private static final Path BUNDLES = Path.of(System.getProperty("kmod.playground.dir", "target"));
    private static final String PREFIX = System.getProperty("kmod.playground.prefix", "kmod-playground");

    private final TestsuiteKernel kernel;
    /** What the tools call: the kernel under the traps, with the module calls they made written down. */
    final RecordedSyscalls sys;

    Rootfs(String release) throws IOException {
        kernel = new TestsuiteKernel(release);
        sys = new RecordedSyscalls(kernel);
    }

    /**
     * setup-rootfs.sh's map entry: the playground module (e.g. {@code mod-loop-a}) at PATH; a
     * PATH ending in '/' is a directory that keeps the module's own file name.
     */
    Rootfs ko(String path, String module) throws IOException {
        String target = path.endsWith("/") ? path + module + ".ko" : path;
        Path to = sys.hostPath(target);
        Files.createDirectories(to.getParent());
        Files.copy(bundle(module), to);
        return this;
    }

    static Path bundle(String module) {
        Path jar = BUNDLES.resolve(PREFIX + "-" + module + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError(jar + " is missing: the playground bundles are built in package (run mvn verify)");
        }
        return jar;
    }

    /** A file of rootfs-pristine, with its content. */
    Rootfs file(String path, String content) throws IOException {
        kernel.file(path, content);
        return this;
    }

    /** /proc/cmdline (rootfs-pristine/.../proc/cmdline). */
    Rootfs cmdline(String line) {
        kernel.file("/proc/cmdline", line + "\n");
        return this;
    }

    Run modprobe(String... args) {
        return Run.of((o, e, i) -> new Modprobe(sys, o, e).main(args));
    }

    Run depmod(String... args) {
        return Run.of((o, e, i) -> new DepmodTool(sys, o, e).main(args));
    }

    Run modinfo(String... args) {
        return Run.of((o, e, i) -> new Modinfo(sys, o, e).main(args));
    }

    /** kmod_new(): a library context over this root. */
    Kmod kmod() {
        return new Kmod(sys, new Log("test", new PrintStream(PrintStream.nullOutputStream()), Log.LOG_ERR));
    }

    String read(String path) throws ErrnoException {
        return sys.read(path);
    }

    /** .modules_loaded: the modules init_module.so recorded (their /sys/module directories), by name. */
    List<String> loaded() {
        return kernel.loaded();
    }
}
