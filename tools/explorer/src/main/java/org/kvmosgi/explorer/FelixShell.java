package org.kvmosgi.explorer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.kvmosgi.launcher.PlatformProperties;
import org.kvmosgi.launcher.RootFs;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * One platform in this JVM: an embedded Felix booted from the distribution's features in
 * a root of its own, as {@code ./kvmsh} boots it, with a Gogo session driven through
 * reflection (Gogo's API lives in the framework, not on this class path). Every operation
 * is a shell command line, so what the explorer runs a user can run in {@code ./kvmsh}.
 */
public final class FelixShell implements Shell, AutoCloseable {
    private static final String PROCESSOR = "org.apache.felix.service.command.CommandProcessor";
    private static final String SESSION = "org.apache.felix.service.command.CommandSession";

    private final Framework framework;
    private final Object session;
    private final Method execute;
    private final ByteArrayOutputStream out;
    private final ByteArrayOutputStream err;
    /** Opens another session on the same platform (for concurrent users); null before boot ends. */
    private final java.util.function.Supplier<FelixShell> opener;
    /** Whether closing this shell stops the platform: only the one that booted it. */
    private final boolean owner;

    private FelixShell(Framework framework, Object session, Method execute, ByteArrayOutputStream out,
            ByteArrayOutputStream err, java.util.function.Supplier<FelixShell> opener, boolean owner) {
        this.framework = framework;
        this.session = session;
        this.execute = execute;
        this.out = out;
        this.err = err;
        this.opener = opener;
        this.owner = owner;
    }

    /** Boots the platform with {@code features} (platform first) on {@code host}, state below {@code dir}. */
    public static FelixShell boot(Path home, List<String> features, String host, Path dir) throws Exception {
        return boot(home, features, host, dir, null);
    }

    /**
     * As {@link #boot(Path, List, String, Path)}, with the session on the command processor
     * {@code filter} selects, e.g. {@code (kvmosgi.shell=sealed)}: the console's sealed
     * shell, which is what a kvmsh session runs.
     */
    public static FelixShell boot(Path home, List<String> features, String host, Path dir, String filter) throws Exception {
        List<Path> bundles = RootFs.create(home, features, dir.resolve("root"), RootFs.DEFAULT_RELEASE);
        // as kvmsh boots: the launcher's properties, a root and a framework storage of its own
        Map<String, String> config = PlatformProperties.boot(home, dir.resolve("felix-cache"), host,
                dir.resolve("root"), RootFs.DEFAULT_RELEASE, "");
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class, FelixShell.class.getClassLoader())
                .findFirst().orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path"));
        Framework fw = factory.newFramework(config);
        fw.init();
        BundleContext ctx = fw.getBundleContext();
        // private copies: a build that rewrites the distribution during a long run must not
        // change the classes under a running platform (Felix reads reference: jars in place)
        Path copies = java.nio.file.Files.createDirectories(dir.resolve("bundles"));
        int n = 0;
        for (Path file : bundles) {
            Path copy = copies.resolve((n++) + "-" + file.getFileName());
            java.nio.file.Files.copy(file, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Bundle b = ctx.installBundle("reference:" + copy.toUri());
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                b.start();
            }
        }
        fw.start();
        Object processor = waitForService(ctx, PROCESSOR, filter, 20_000);
        Bundle gogo = null;
        for (Bundle b : ctx.getBundles()) {
            if ("org.apache.felix.gogo.runtime".equals(b.getSymbolicName())) {
                gogo = b;
            }
        }
        if (processor == null || gogo == null) {
            fw.stop();
            throw new IllegalStateException("the Gogo runtime did not start in the platform");
        }
        Class<?> cp = gogo.loadClass(PROCESSOR);
        Class<?> cs = gogo.loadClass(SESSION);
        Method create = cp.getMethod("createSession", InputStream.class, OutputStream.class, OutputStream.class);
        Method put = cs.getMethod("put", String.class, Object.class);
        Method execute = cs.getMethod("execute", CharSequence.class);
        java.util.function.Supplier<FelixShell> opener = new java.util.function.Supplier<>() {
            @Override
            public FelixShell get() {
                return open(fw, processor, create, put, execute, this, false);
            }
        };
        FelixShell shell = open(fw, processor, create, put, execute, opener, true);
        // the diag commands come with DS, a moment after the framework started
        long until = System.nanoTime() + 20_000_000_000L;
        Result r;
        do {
            r = shell.run("kreset");
            if (r.ok()) {
                return shell;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < until);
        shell.close();
        throw new IllegalStateException("the platform has no working kreset command (is the diag bundle in the "
                + "platform feature?): " + r.err().trim());
    }

    private static FelixShell open(Framework fw, Object processor, Method create, Method put, Method execute,
            java.util.function.Supplier<FelixShell> opener, boolean owner) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            Object session = create.invoke(processor, new ByteArrayInputStream(new byte[0]),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            // no colours in captured output, as the console does for pipes
            put.invoke(session, "GREP_COLORS", "mt=:fn=:ln=:se=");
            return new FelixShell(fw, session, execute, out, err, opener, owner);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot open a Gogo session", e);
        }
    }

    /** Another Gogo session on this platform, for a concurrent user; closing it leaves the platform running. */
    public FelixShell openSession() {
        return opener.get();
    }

    /** The platform's framework, for tools that measure it (the benchmark's raw bundle starts). */
    public BundleContext context() {
        return framework.getBundleContext();
    }

    private static Object waitForService(BundleContext ctx, String name, String filter, long millis)
            throws InterruptedException, org.osgi.framework.InvalidSyntaxException {
        long until = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < until) {
            // no filter: the highest ranked, Gogo's own
            ServiceReference<?>[] refs = filter == null ? null : ctx.getServiceReferences(name, filter);
            ServiceReference<?> ref = filter == null ? ctx.getServiceReference(name) : refs == null ? null : refs[0];
            if (ref != null) {
                Object s = ctx.getService(ref);
                if (s != null) {
                    return s;
                }
            }
            Thread.sleep(10);
        }
        return null;
    }

    @Override
    public Result run(String line) {
        out.reset();
        err.reset();
        int status = 0;
        boolean threw = false;
        try {
            execute.invoke(session, line);
        } catch (InvocationTargetException e) {
            Throwable t = e.getCause();
            Throwable failure = commandFailure(t);
            if (failure != null) {
                status = status(failure);
                err.writeBytes((failure.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
            } else {
                // what the console would print as "gogo: Class: message": a bug, not a refusal
                status = 1;
                threw = !isUsageError(t);
                err.writeBytes(("gogo: " + describe(t) + "\n").getBytes(StandardCharsets.UTF_8));
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), threw);
    }

    /**
     * What threw, past the reflection that carried it: the innermost cause with where it
     * was thrown, so that a violation says which code broke.
     */
    static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        StringBuilder sb = new StringBuilder(root.getClass().getSimpleName()).append(": ").append(root.getMessage());
        for (StackTraceElement e : root.getStackTrace()) {
            if (e.getClassName().startsWith("org.kvmosgi.")) {
                sb.append(" at ").append(e.getClassName()).append('.').append(e.getMethodName()).append(':')
                        .append(e.getLineNumber());
                break;
            }
        }
        return sb.toString();
    }

    private static Throwable commandFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getClass().getName().equals("org.kvmosgi.console.api.CommandFailure")) {
                return t;
            }
        }
        return null;
    }

    /**
     * Gogo's own complaints (a command not found, bad arguments, a line that does not parse,
     * a glob matching nothing) are the caller's mistakes, not the kernel's; kvmsh prints
     * each as one line of its own.
     */
    private static boolean isUsageError(Throwable t) {
        String n = t.getClass().getName();
        return n.equals("org.apache.felix.gogo.runtime.CommandNotFoundException")
                || n.equals("org.apache.felix.gogo.runtime.SyntaxError") || n.equals("org.apache.felix.gogo.runtime.EOFError")
                || (t instanceof java.io.EOFException && t.getCause() != null
                        && t.getCause().getClass().getName().equals("org.apache.felix.gogo.runtime.EOFError"))
                || (t instanceof java.io.IOException && String.valueOf(t.getMessage()).startsWith("no matches found: "))
                || (t instanceof IllegalArgumentException && String.valueOf(t.getMessage()).startsWith("Cannot coerce"));
    }

    private static int status(Throwable failure) {
        try {
            return (int) failure.getClass().getMethod("status").invoke(failure);
        } catch (ReflectiveOperationException e) {
            return 1;
        }
    }

    @Override
    public void close() {
        if (!owner) {
            return;
        }
        try {
            framework.stop();
            framework.waitForStop(10_000);
        } catch (Exception e) {
            // the JVM is about to end anyway
        }
    }
}
