package org.kvmosgi.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * kmod's modprobe tool class run in this thread, as the {@code modprobe} command runs it
 * without the shell around it: {@code new Modprobe(sys, out, err).cachedIn(cache).main(args)}
 * over the kernel's {@code Syscalls} service and the kmod commands' shared {@code KmodCache}
 * (the same instances the command uses). What it times is the loader as the kernel has it:
 * modprobe's lookup and checks, finit_module or delete_module, the kernel's loader, the
 * bundle's start or stop. The classes live in the framework, so they are reached by
 * reflection, as the explorer drives Gogo.
 */
final class KmodModprobe {
    private static final String KMOD = "org.kvmosgi.kmod";
    private static final String TOOL = "org.kvmosgi.kmod.tool.Modprobe";
    private static final String SYSCALLS = "org.kvmosgi.kernel.api.syscall.Syscalls";
    private static final String CACHE = "org.kvmosgi.kmod.lib.KmodCache";

    private final Object sys;
    private final Object cache;
    private final Constructor<?> create;
    private final Method cachedIn;
    private final Method main;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);

    private KmodModprobe(Object sys, Object cache, Constructor<?> create, Method cachedIn, Method main) {
        this.sys = sys;
        this.cache = cache;
        this.create = create;
        this.cachedIn = cachedIn;
        this.main = main;
    }

    /** The tool over the kmod bundle's own view of the services, in the platform {@code ctx} belongs to. */
    static KmodModprobe in(BundleContext ctx) throws Exception {
        Bundle kmod = null;
        for (Bundle b : ctx.getBundles()) {
            if (KMOD.equals(b.getSymbolicName())) {
                kmod = b;
            }
        }
        if (kmod == null || kmod.getBundleContext() == null) {
            throw new IllegalStateException("no active " + KMOD + " bundle in the platform");
        }
        BundleContext k = kmod.getBundleContext();
        Class<?> tool = kmod.loadClass(TOOL);
        Class<?> sysType = kmod.loadClass(SYSCALLS);
        Class<?> cacheType = kmod.loadClass(CACHE);
        return new KmodModprobe(service(k, SYSCALLS), service(k, CACHE),
                tool.getConstructor(sysType, PrintStream.class, PrintStream.class),
                tool.getMethod("cachedIn", cacheType), tool.getMethod("main", String[].class));
    }

    private static Object service(BundleContext ctx, String name) {
        ServiceReference<?> ref = ctx.getServiceReference(name);
        Object s = ref == null ? null : ctx.getService(ref);
        if (s == null) {
            throw new IllegalStateException("no " + name + " service for kmod");
        }
        return s;
    }

    /** Runs {@code modprobe args}; fails with what it printed when it fails. */
    void run(String... args) {
        out.reset();
        try {
            main.invoke(cachedIn.invoke(create.newInstance(sys, print, print), cache), (Object) args);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("modprobe " + String.join(" ", args) + " (in-process): "
                    + out.toString(StandardCharsets.UTF_8).trim() + " " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
