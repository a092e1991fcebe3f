package org.kvmosgi.kernel.kmod;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.kvmosgi.kernel.api.Errno;
import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;

/**
 * call_usermodehelper for the model: runs the command in a Gogo session of its own,
 * with no terminal, as the kernel runs /sbin/modprobe with no controlling tty. Only
 * loaded when the Gogo runtime is there (the import is optional).
 */
public final class GogoModprobe implements RequestModule.UserModeHelper {
    private final ServiceTracker<CommandProcessor, CommandProcessor> processors;

    GogoModprobe(BundleContext context) {
        processors = new ServiceTracker<>(context, CommandProcessor.class, null);
        processors.open();
    }

    void close() {
        processors.close();
    }

    @Override
    public int run(String... argv) {
        CommandProcessor p = processors.getService();
        if (p == null) {
            return Errno.ENOENT.neg();
        }
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        try (CommandSession s = p.createSession(new ByteArrayInputStream(new byte[0]), quiet, quiet)) {
            StringBuilder line = new StringBuilder();
            for (String a : argv) {
                line.append(line.length() == 0 ? "" : " ").append(a);
            }
            s.execute(line);
            return 0;
        } catch (Exception e) {
            // modprobe failed: its exit status is 1, as a wait status the helper sees 256
            return e.getClass().getSimpleName().equals("CommandNotFoundException") ? Errno.ENOENT.neg() : 256;
        }
    }

    /** Installs the helper when the Gogo runtime can be loaded; returns a closer, or null. */
    public static Runnable installIfAvailable(BundleContext context, RequestModule rm) {
        try {
            Class.forName("org.apache.felix.service.command.CommandProcessor", false,
                    GogoModprobe.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
        GogoModprobe g = new GogoModprobe(context);
        rm.setHelper(g);
        return () -> {
            rm.setHelper(null);
            g.close();
        };
    }
}
