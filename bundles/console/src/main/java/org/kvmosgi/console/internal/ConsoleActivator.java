package org.kvmosgi.console.internal;

import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.felix.service.command.CommandProcessor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceRegistration;

/**
 * Starts the console once the platform has booted. The platform feature starts this
 * bundle before the kernel, so that it hears the framework's ERROR event when the kernel
 * fails to start (e.g. an unknown host profile) and can say why; it runs the console when
 * the framework reports STARTED, i.e. after every boot bundle had its turn. Without
 * {@value Console#MODE} there is no console (tests boot the platform that way); the
 * shell's commands are registered either way.
 */
public final class ConsoleActivator implements BundleActivator, FrameworkListener {
    static final String SHELL_PROPERTY = "kvmosgi.shell";
    private final Map<Long, Throwable> bootErrors = new ConcurrentHashMap<>();
    private volatile Console console;
    private Thread thread;
    private BundleContext context;
    private ServiceRegistration<?> commands;
    private ServiceRegistration<?> textCommands;
    private ServiceRegistration<?> sealedShell;
    private SealedProcessor sealed;
    private boolean launched;

    @Override
    public void start(BundleContext context) {
        this.context = context;
        if (!gogoRuntime()) {
            // a shell of another kind (Apache Karaf's): kvmsh's commands and console need Gogo's runtime
            return;
        }
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("osgi.command.scope", ShellCommands.SCOPE);
        props.put("osgi.command.function", ShellCommands.FUNCTIONS);
        commands = context.registerService(ShellCommands.class,
                new ShellCommands(context, () -> console == null ? 0 : console.lastStatus()), props);
        Hashtable<String, Object> text = new Hashtable<>();
        text.put("osgi.command.scope", ShellCommands.SCOPE);
        text.put("osgi.command.function", TextCommands.FUNCTIONS);
        textCommands = context.registerService(TextCommands.class, new TextCommands(context), text);

        context.addFrameworkListener(this);
        if (context.getBundle(0).getState() == Bundle.ACTIVE) {
            offerSealedShell();
        }
        String modeProperty = context.getProperty(Console.MODE);
        if (modeProperty == null || modeProperty.isEmpty()) {
            return;
        }
        Console.Mode mode = Console.Mode.of(modeProperty);
        if (mode == null) {
            // a launcher bug, but kvmsh must still end: say so and stop like a failed boot
            System.err.println("kvmsh: " + Console.MODE + " must be interactive, command or script (got '" + modeProperty + "')");
            new Thread(() -> new Console(context, Console.Mode.COMMAND, null, bootErrors).finish(2), "kvmsh console").start();
            return;
        }
        console = new Console(context, mode, context.getProperty(Console.INPUT), bootErrors);
        if (context.getBundle(0).getState() == Bundle.ACTIVE) {
            // started after the boot (e.g. by hand): nothing more to wait for
            launch();
        }
    }

    /** Whether Felix Gogo's runtime is wired (its import is optional, see the POM). */
    private static boolean gogoRuntime() {
        try {
            Class.forName("org.apache.felix.gogo.runtime.Parser");
            Class.forName("org.jline.reader.LineReader");
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    @Override
    public void frameworkEvent(FrameworkEvent event) {
        if (event.getType() == FrameworkEvent.ERROR && event.getBundle() != null && event.getThrowable() != null) {
            bootErrors.putIfAbsent(event.getBundle().getBundleId(), event.getThrowable());
        } else if (event.getType() == FrameworkEvent.STARTED) {
            offerSealedShell();
            launch();
        }
    }

    /**
     * The sealed shell's processor as a service of its own ({@value #SHELL_PROPERTY}=sealed,
     * ranked below Gogo's, so that a plain CommandProcessor lookup still finds Gogo's): tests
     * and the fuzzer drive exactly what a kvmsh session runs.
     */
    private synchronized void offerSealedShell() {
        if (sealedShell != null) {
            return;
        }
        try {
            sealed = SealedProcessor.open(context);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(SHELL_PROPERTY, "sealed");
        props.put(org.osgi.framework.Constants.SERVICE_RANKING, -1);
        sealedShell = context.registerService(CommandProcessor.class, sealed, props);
    }

    private synchronized void launch() {
        if (launched || console == null) {
            return;
        }
        launched = true;
        thread = new Thread(console, "kvmsh console");
        // the framework's stop ends the process; the console never holds it up
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop(BundleContext context) throws InterruptedException {
        context.removeFrameworkListener(this);
        Console c = console;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        Bundle system = context.getBundle(0);
        // felix:stop of this bundle, not the framework's shutdown: the shell is gone
        boolean byHand = c != null && t != null && system.getState() == Bundle.ACTIVE;
        if (c != null) {
            c.close();
        }
        if (byHand) {
            // as a shell whose terminal went away, kvmsh ends: the framework stops, the
            // process exits with the last command's status instead of waiting for a console
            System.err.println("kvmsh: the console bundle was stopped: leaving");
            System.setProperty(Console.EXIT_STATUS, Integer.toString(c.lastStatus()));
            Thread exit = new Thread(() -> {
                try {
                    system.stop();
                } catch (BundleException | IllegalStateException e) {
                    // already stopping
                }
            }, "kvmsh exit");
            exit.start();
        }
        if (t != null && t != Thread.currentThread()) {
            t.interrupt();
            // the stop may come from a command of the console's own session: do not wait for it then
            t.join(byHand ? 100 : 2000);
        }
        if (commands != null) {
            commands.unregister();
            textCommands.unregister();
        }
        synchronized (this) {
            if (sealedShell != null) {
                sealedShell.unregister();
                sealed.close();
            }
        }
    }
}
