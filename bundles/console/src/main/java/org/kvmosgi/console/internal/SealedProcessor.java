package org.kvmosgi.console.internal;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.CommandProxy;
import org.apache.felix.gogo.runtime.CommandSessionImpl;
import org.apache.felix.gogo.runtime.Token;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSessionListener;
import org.apache.felix.service.command.Converter;
import org.apache.felix.service.command.Function;
import org.apache.felix.service.threadio.ThreadIO;
import org.kvmosgi.console.api.CommandFailure;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The sealed shell's Gogo: a command processor of the console's own, fed with the same
 * command services as Gogo's, which keeps a kvmsh session inside the model. The model's
 * commands (every bundle but Gogo's) come in as they are; of Gogo's and Felix's, those
 * that only compute, control jobs or manage bundles come in, the ones that reach the host
 * (its files, its URLs, arbitrary Java classes) are replaced by a one-line refusal
 * ({@link Sealing}). Calling Java methods on objects ({@code $x method}) is refused but
 * for strings, numbers, collections and a failure's message; redirections are refused;
 * globbing walks the model's file system ({@link ModelFileSystem}). {@code ./kvmsh
 * --unsealed} uses Gogo's own processor instead.
 */
final class SealedProcessor extends CommandProcessorImpl {
    /** Method names no object answers in the sealed shell: the way from a value to its class. */
    private static final Set<String> NEVER = Set.of("getClass", "wait", "notify", "notifyAll");
    /** What a failure may be asked: enough for {@code e} (the last failure's stack trace). */
    private static final Set<String> THROWABLE = Set.of("printStackTrace", "getMessage", "getLocalizedMessage",
            "getCause", "toString");

    /** Gogo's control structures: their arguments are closures and values, passed as they are. */
    private static final Set<String> PROCEDURAL = Set.of("each", "if", "not", "throw", "try", "until", "while", "break",
            "continue");

    private final Path root;
    private final List<ServiceTracker<?, ?>> trackers = new ArrayList<>();

    SealedProcessor(ThreadIO tio, Path root) {
        super(tio);
        this.root = root;
    }

    /** A sealed processor on the running platform, following the framework's commands from now on. */
    static SealedProcessor open(BundleContext context) throws InvalidSyntaxException {
        ServiceReference<ThreadIO> tio = context.getServiceReference(ThreadIO.class);
        Object[] kernel = kernel(context);
        SealedProcessor sealed = new SealedProcessor(tio == null ? null : context.getService(tio), (Path) kernel[1]);
        if (kernel[0] != null) {
            sealed.addOwnCommands(kernel[0], SealedCommands.FUNCTIONS);
        }
        sealed.follow(context);
        return sealed;
    }

    /** The sealed commands and the model's root for globbing, or nulls when no kernel runs. */
    private static Object[] kernel(BundleContext context) {
        try {
            ServiceReference<Syscalls> ref = context.getServiceReference(Syscalls.class);
            Syscalls sys = ref == null ? null : context.getService(ref);
            if (sys == null) {
                return new Object[2];
            }
            return new Object[] {new SealedCommands(context, sys), new ModelFileSystem(sys).root()};
        } catch (NoClassDefFoundError noKernelApi) {
            return new Object[2];
        }
    }

    /** Starts following the framework's command, converter and listener services. */
    private void follow(BundleContext context) throws InvalidSyntaxException {
        trackers.add(new ServiceTracker<Object, List<String>>(context, context.createFilter(String.format("(&(%s=*)(%s=*))",
                CommandProcessor.COMMAND_SCOPE, CommandProcessor.COMMAND_FUNCTION)), null) {
            @Override
            public List<String> addingService(ServiceReference<Object> reference) {
                return addCommands(context, reference);
            }

            @Override
            public void removedService(ServiceReference<Object> reference, List<String> functions) {
                String scope = String.valueOf(reference.getProperty(CommandProcessor.COMMAND_SCOPE));
                for (String f : functions) {
                    removeCommand(scope, f);
                }
            }
        });
        trackers.add(new ServiceTracker<Converter, Converter>(context, Converter.class, null) {
            @Override
            public Converter addingService(ServiceReference<Converter> reference) {
                Converter c = super.addingService(reference);
                addConverter(c);
                return c;
            }

            @Override
            public void removedService(ServiceReference<Converter> reference, Converter c) {
                removeConverter(c);
                super.removedService(reference, c);
            }
        });
        trackers.add(new ServiceTracker<CommandSessionListener, CommandSessionListener>(context, CommandSessionListener.class, null) {
            @Override
            public CommandSessionListener addingService(ServiceReference<CommandSessionListener> reference) {
                CommandSessionListener l = super.addingService(reference);
                addListener(l);
                return l;
            }

            @Override
            public void removedService(ServiceReference<CommandSessionListener> reference, CommandSessionListener l) {
                removeListener(l);
                super.removedService(reference, l);
            }
        });
        for (ServiceTracker<?, ?> t : trackers) {
            t.open();
        }
    }

    void close() {
        for (ServiceTracker<?, ?> t : trackers) {
            t.close();
        }
        stop();
    }

    private List<String> addCommands(BundleContext context, ServiceReference<Object> reference) {
        String scope = String.valueOf(reference.getProperty(CommandProcessor.COMMAND_SCOPE));
        Object function = reference.getProperty(CommandProcessor.COMMAND_FUNCTION);
        int rank = reference.getProperty(Constants.SERVICE_RANKING) instanceof Integer
                ? (Integer) reference.getProperty(Constants.SERVICE_RANKING) : 0;
        Bundle owner = reference.getBundle();
        boolean gogo = owner != null && owner.getSymbolicName() != null
                && owner.getSymbolicName().startsWith(Sealing.GOGO_BUNDLES);
        List<String> added = new ArrayList<>();
        Object[] functions = function.getClass().isArray() ? (Object[]) function : new Object[] {function};
        for (Object f : functions) {
            String name = f.toString();
            Function command = new CommandProxy(context, reference, name);
            if (gogo) {
                command = Sealing.admit(scope, name, command);
            }
            if (!PROCEDURAL.contains(name)) {
                command = withoutNulls(command);
            }
            addCommand(scope, command, name, rank);
            added.add(name);
        }
        return added;
    }

    /**
     * The model's tools get the words sh would pass: an unset variable ({@code $nosuchvar},
     * {@code ${PATH}}) expands to no word at all, where Gogo passes a null; the bare word
     * {@code null} is the string "null" (Gogo would hand the tool a null for it).
     */
    static Function withoutNulls(Function command) {
        return (session, args) -> {
            List<Object> words = new ArrayList<>(args.size());
            for (Object a : args) {
                if (a instanceof Token && "null".contentEquals((Token) a)) {
                    words.add("null");
                } else if (a != null) {
                    words.add(a);
                }
            }
            return command.execute(session, words);
        };
    }

    /** Adds a command object of the console's own (scope kvmsh) as the framework's come in. */
    void addOwnCommands(Object target, String... functions) {
        for (String f : functions) {
            addCommand(Console.SHELL_SCOPE, withoutNulls(new CommandProxy(target, f)), f);
        }
    }

    @Override
    public CommandSessionImpl createSession(InputStream in, OutputStream out, OutputStream err) {
        synchronized (sessions) {
            if (stopped) {
                throw new IllegalStateException("CommandProcessor has been stopped");
            }
            CommandSessionImpl session = new SealedSession(this, in, out, err, root);
            sessions.put(session, null);
            return session;
        }
    }

    @Override
    public Object invoke(CommandSessionImpl session, Object target, String name, List<Object> args) throws Exception {
        if (!mayInvoke(target, name)) {
            throw new CommandFailure("kvmsh: " + name + ": the sealed shell calls no Java methods on "
                    + (target == null ? "null" : target.getClass().getSimpleName())
                    + " (./kvmsh --unsealed allows it)", 126);
        }
        return super.invoke(session, target, name, args);
    }

    /** Values a script computes with may be asked for their methods; nothing that leads to a class. */
    static boolean mayInvoke(Object target, String name) {
        if (target == null || NEVER.contains(name)) {
            return false;
        }
        if (target instanceof Throwable) {
            return THROWABLE.contains(name);
        }
        return target instanceof CharSequence || target instanceof Number || target instanceof Boolean
                || target instanceof Character || target instanceof Collection || target instanceof Map;
    }

    @Override
    public Path redirect(CommandSessionImpl session, Path path, int mode) {
        throw new CommandFailure("kvmsh: " + path + ": redirection to a file is not supported: it would reach the host's "
                + "files, not the model's; write with tee (echo 0 | tee /sys/module/kvm/parameters/halt_poll_ns)", 1);
    }
}
