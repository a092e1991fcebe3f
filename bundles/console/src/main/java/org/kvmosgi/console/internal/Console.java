package org.kvmosgi.console.internal;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * One console run: checks the boot, runs the mode the launcher asked for, records the exit
 * status in the system property {@value #EXIT_STATUS} and stops the framework.
 */
final class Console implements Runnable {
    static final String MODE = "kvmosgi.console";
    static final String INPUT = "kvmosgi.console.input";
    static final String HISTORY = "kvmosgi.console.history";
    /** "true": Gogo's and Felix's raw shell (./kvmsh --unsealed) instead of the sealed one. */
    static final String UNSEALED = "kvmosgi.console.unsealed";
    /** Where an unscoped name is looked up first: the shell's own commands, then the tools. */
    static final String SCOPE_PATH = "kvmsh:kmod:*";
    static final String SHELL_SCOPE = ShellCommands.SCOPE;
    static final String ROOT = "kvmosgi.root";
    static final String EXIT_STATUS = "kvmosgi.exit.status";
    /** The kernel bundle's symbolic name: a console without a running kernel is no kvmsh. */
    static final String KERNEL_BSN = "kernel";

    enum Mode {
        INTERACTIVE, COMMAND, SCRIPT;

        static Mode of(String property) {
            switch (property) {
            case "interactive":
                return INTERACTIVE;
            case "command":
                return COMMAND;
            case "script":
                return SCRIPT;
            default:
                return null;
            }
        }
    }

    private final BundleContext context;
    private final Mode mode;
    private final String input;
    private final Map<Long, Throwable> bootErrors;
    // the process's own descriptors: System.out is Gogo's per-thread switch once Gogo runs
    private final PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
    private final PrintStream err = new PrintStream(new FailureLines(new FileOutputStream(FileDescriptor.err)), true);
    private volatile boolean closed;
    private volatile Terminal terminal;
    private volatile Runner runner;
    private final AtomicInteger sigints = new AtomicInteger();
    private final AtomicBoolean finished = new AtomicBoolean();

    Console(BundleContext context, Mode mode, String input, Map<Long, Throwable> bootErrors) {
        this.context = context;
        this.mode = mode;
        this.input = input;
        this.bootErrors = bootErrors;
    }

    int lastStatus() {
        Runner r = runner;
        return r == null ? 0 : r.lastStatus();
    }

    @Override
    public void run() {
        int status;
        try {
            status = session();
        } catch (Throwable e) {
            // whatever went wrong, the framework must stop, or kvmsh would hang
            if (closed) {
                return;
            }
            err.println("kvmsh: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            status = 1;
        }
        finish(status);
    }

    /** The framework is stopping under the console (e.g. `stop 0`, a signal): let go of the terminal. */
    void close() {
        closed = true;
        Terminal t = terminal;
        if (t != null) {
            try {
                t.close();
            } catch (IOException e) {
                // closing is all that is left to do
            }
        }
    }

    private int session() throws Exception {
        String kernelProblem = checkBoot();
        if (kernelProblem != null) {
            err.println("kvmsh: " + kernelProblem);
            return 2;
        }
        ServiceTracker<CommandProcessor, CommandProcessor> tracker = new ServiceTracker<>(context, CommandProcessor.class, null);
        tracker.open();
        SealedProcessor sealed = null;
        try {
            CommandProcessor processor = tracker.waitForService(10_000);
            if (processor == null) {
                err.println("kvmsh: the Gogo shell runtime (org.apache.felix.gogo.runtime) is not running");
                return 1;
            }
            if (!Boolean.parseBoolean(context.getProperty(UNSEALED))) {
                CommandProcessor offered = sealedShell();
                if (offered != null) {
                    processor = offered;
                } else {
                    sealed = SealedProcessor.open(context);
                    processor = sealed;
                }
            }
            switch (mode) {
            case COMMAND:
                return command(processor);
            case SCRIPT:
                return script(processor);
            default:
                return interactive(processor);
            }
        } finally {
            if (sealed != null) {
                sealed.close();
            }
            tracker.close();
        }
    }

    /** The sealed processor the console bundle offers as a service, or null. */
    private CommandProcessor sealedShell() throws InvalidSyntaxException {
        for (ServiceReference<CommandProcessor> ref : context.getServiceReferences(CommandProcessor.class,
                "(" + ConsoleActivator.SHELL_PROPERTY + "=sealed)")) {
            return context.getService(ref);
        }
        return null;
    }

    private int command(CommandProcessor processor) {
        Runner r = newRunner(processor, new FileInputStream(FileDescriptor.in));
        try (SigintHandler sigint = SigintHandler.handle(() -> interrupt(r))) {
            int status = r.run(input == null ? "" : input);
            return r.interrupted() ? 130 : status;
        } catch (ExitRequest exit) {
            return exit.status();
        }
    }

    /**
     * Ctrl-C in {@code -c} or script mode, as sh -c gets it: the running command is
     * interrupted (its vCPUs leave KVM_RUN with -EINTR), nothing after it runs, and kvmsh
     * ends with 130 after a clean stop. A second Ctrl-C, or one with no command running,
     * ends kvmsh at once.
     */
    private void interrupt(Runner r) {
        if (sigints.incrementAndGet() > 1 || !r.interrupt()) {
            finish(130);
        }
    }

    /** Line by line, going on after a failing line as sh does; the status of the last line. */
    private int script(CommandProcessor processor) throws IOException {
        boolean fromStdin = input == null || input.equals("-");
        BufferedReader lines;
        InputStream commandInput;
        if (fromStdin) {
            lines = new BufferedReader(new InputStreamReader(new FileInputStream(FileDescriptor.in), StandardCharsets.UTF_8));
            // stdin is the script: the commands read nothing
            commandInput = new ByteArrayInputStream(new byte[0]);
        } else {
            try {
                lines = Files.newBufferedReader(Paths.get(input), StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                err.println("kvmsh: " + input + ": No such file or directory");
                return 127;
            }
            commandInput = new FileInputStream(FileDescriptor.in);
        }
        Runner r = newRunner(processor, commandInput);
        r.session().put("0", fromStdin ? "-" : input);
        r.name(fromStdin ? "kvmsh" : input);
        int status = 0;
        try (BufferedReader in = lines; SigintHandler sigint = SigintHandler.handle(() -> interrupt(r))) {
            StringBuilder program = new StringBuilder();
            String line;
            int number = 0;
            int first = 1;
            while ((line = in.readLine()) != null && !closed) {
                number++;
                if (program.length() == 0 && (line.isBlank() || line.stripLeading().startsWith("#"))) {
                    continue;
                }
                if (program.length() == 0) {
                    first = number;
                }
                program.append(line).append('\n');
                if (Runner.complete(program)) {
                    status = r.run(program, first);
                    program.setLength(0);
                    if (r.interrupted()) {
                        return 130;
                    }
                    if (r.syntaxError()) {
                        // sh leaves a script at a syntax error
                        return status;
                    }
                }
            }
            if (program.length() > 0 && !closed) {
                // an unclosed brace or quote at the end: a syntax error
                status = r.run(program, first);
            }
        } catch (ExitRequest exit) {
            return exit.status();
        }
        return status;
    }

    private int interactive(CommandProcessor processor) throws IOException {
        // JLine finds its terminal providers (jni, exec) through the thread's context class
        // loader; in OSGi that must be JLine's bundle, or it silently settles for a dumb terminal
        Thread me = Thread.currentThread();
        ClassLoader previous = me.getContextClassLoader();
        me.setContextClassLoader(TerminalBuilder.class.getClassLoader());
        try {
            terminal = TerminalBuilder.builder()
                    .name("kvmsh")
                    .system(true)
                    .nativeSignals(true)
                    .signalHandler(Terminal.SignalHandler.SIG_IGN)
                    .build();
        } finally {
            me.setContextClassLoader(previous);
        }
        try {
            if (closed) {
                return 0;
            }
            Runner r = newRunner(processor, terminal.input());
            String history = context.getProperty(HISTORY);
            String root = context.getProperty(ROOT);
            return new Interactive(terminal, r, history == null ? null : Paths.get(history),
                    root == null ? null : Paths.get(root).toAbsolutePath()).run();
        } finally {
            terminal.close();
        }
    }

    private Runner newRunner(CommandProcessor processor, InputStream in) {
        CommandSession session = processor.createSession(in, out, err);
        if (!isTerminal(1)) {
            // Gogo takes every session for a terminal, so grep and ls would colour output that
            // goes to a file or a pipe: empty colour maps keep it plain
            session.put("GREP_COLORS", "mt=:fn=:ln=:se=");
            session.put("LS_COLORS", "dr=:ex=:sl=:ot=");
        }
        session.put("SCOPE", SCOPE_PATH);
        try {
            // gogo.command's help (the one Felix users know) and gosh's `e` for the last
            // failure's stack trace; Gogo jline registers a second `help`, and which one an
            // unscoped name finds must not depend on the order services came in
            session.execute("help = { felix:help $args } ; e = { $exception printStackTrace }");
        } catch (Exception e) {
            err.println("kvmsh: cannot define help: " + e.getMessage());
        }
        Runner r = new Runner(session, out, err, () -> closed);
        session.setJobListener(r);
        runner = r;
        return r;
    }

    /** Whether the process's descriptor {@code fd} is a terminal (Linux: where /proc/self/fd/N points). */
    static boolean isTerminal(int fd) {
        try {
            String target = Files.readSymbolicLink(Paths.get("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException e) {
            return System.console() != null;
        }
    }

    /**
     * Reports bundles that failed to start at boot (from the framework's ERROR events) and
     * returns why the kernel is not running, or null when it is (or when there is none).
     */
    private String checkBoot() {
        String kernelProblem = null;
        for (Bundle b : context.getBundles()) {
            Throwable failure = bootErrors.get(b.getBundleId());
            boolean isKernel = KERNEL_BSN.equals(b.getSymbolicName());
            if (isKernel && b.getState() != Bundle.ACTIVE) {
                kernelProblem = failure != null ? Errors.startFailure(failure)
                        : "the kernel is not running (bundle state " + state(b.getState()) + "); see .kvmsh/log/kvmsh.log";
            } else if (failure != null && b.getState() != Bundle.ACTIVE) {
                err.println("kvmsh: " + b.getSymbolicName() + " did not start: " + Errors.startFailure(failure));
            }
        }
        return kernelProblem;
    }

    private static String state(int state) {
        switch (state) {
        case Bundle.INSTALLED:
            return "INSTALLED: unresolved";
        case Bundle.RESOLVED:
            return "RESOLVED";
        case Bundle.STARTING:
            return "STARTING";
        case Bundle.STOPPING:
            return "STOPPING";
        default:
            return Integer.toString(state);
        }
    }

    /** Records {@code status} as the process's exit status and stops the framework. */
    void finish(int status) {
        // once: a Ctrl-C may end kvmsh while the console thread is still on its way out
        if (closed || !finished.compareAndSet(false, true)) {
            return;
        }
        System.setProperty(EXIT_STATUS, Integer.toString(status));
        out.flush();
        err.flush();
        try {
            context.getBundle(0).stop();
        } catch (BundleException | IllegalStateException e) {
            // already stopping
        }
    }
}
