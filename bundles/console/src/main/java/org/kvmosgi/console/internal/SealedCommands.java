package org.kvmosgi.console.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.kvmosgi.console.api.CommandFailure;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/**
 * What the sealed shell offers in place of Felix's {@code install} and Gogo's
 * {@code source}: the same jobs, on the model's files only. {@code install} takes module
 * files below {@code /lib/modules/RELEASE} (a model path or its {@code file:} form);
 * {@code source} runs a script the model's file system holds.
 */
public final class SealedCommands {
    static final String[] FUNCTIONS = {"install", "source"};

    private final BundleContext context;
    private final Syscalls sys;

    SealedCommands(BundleContext context, Syscalls sys) {
        this.context = context;
        this.sys = sys;
    }

    @Descriptor("install module bundles from the model's module directory, /lib/modules/RELEASE (Felix's install, sealed)")
    public String install(@Descriptor("[-s] start them; FILE...: module files, e.g. /lib/modules/6.13.0-kvmosgi/kernel/arch/x86/kvm/kvm.ko")
            String... args) throws BundleException {
        boolean start = false;
        List<String> files = new ArrayList<>();
        for (String a : args) {
            if (a.equals("-s") || a.equals("--start")) {
                start = true;
            } else {
                files.add(a);
            }
        }
        if (files.isEmpty()) {
            throw new CommandFailure("install: no module file given (install [-s] /lib/modules/"
                    + sys.kernelRelease() + "/...ko)", 1);
        }
        String moduleDir = "/lib/modules/" + sys.kernelRelease() + "/";
        List<Bundle> installed = new ArrayList<>();
        for (String f : files) {
            String model = f.startsWith("file:") ? f.substring("file:".length()).replaceFirst("^//", "") : f;
            String normal = Paths.get("/").resolve(model).normalize().toString();
            if (!normal.startsWith(moduleDir)) {
                throw new CommandFailure("install: " + f + ": not in the module directory " + moduleDir
                        + " (the sealed shell installs the model's modules only)", 1);
            }
            Path host = sys.hostPath(normal);
            if (host == null || !Files.isRegularFile(host)) {
                throw new CommandFailure("install: " + f + ": No such file or directory", 1);
            }
            installed.add(context.installBundle(host.toUri().toString()));
        }
        StringBuilder ids = new StringBuilder();
        for (Bundle b : installed) {
            if (start) {
                b.start();
            }
            ids.append(ids.length() == 0 ? "" : ", ").append(b.getBundleId());
        }
        return (installed.size() > 1 ? "Bundle IDs: " : "Bundle ID: ") + ids;
    }

    @Descriptor("run a script from the model's file system in this session")
    public Object source(CommandSession session, @Descriptor("FILE: a model path") String file) throws Exception {
        String text;
        try {
            text = sys.read(file.startsWith("/") ? file : "/" + file);
        } catch (ErrnoException e) {
            throw new CommandFailure("kvmsh: source: " + file + ": " + e.strerror(), 1);
        }
        return session.execute(text);
    }
}
