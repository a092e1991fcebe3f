package org.kvmosgi.console.internal;

import java.io.IOException;
import java.io.PrintStream;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Process;
import org.kvmosgi.console.api.Words;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * {@code head}, {@code tail}, {@code grep}, {@code wc}, {@code sort} in the shell's scope
 * (found before Gogo's, whose file operands are the host's): {@link TextTools} on the
 * command's standard streams, FILE operands read from the model. The exit status goes to
 * the job, as sh reports a filter's (grep finding nothing: 1, silently).
 */
public final class TextCommands {
    static final String[] FUNCTIONS = {"head", "tail", "grep", "wc", "sort"};

    private final BundleContext context;

    TextCommands(BundleContext context) {
        this.context = context;
    }

    @Descriptor("the first lines of the input (coreutils head)")
    public void head(@Descriptor("[-n N|-N] [FILE...]: 10 lines; -n -N all but the last N") String... args) {
        args = Words.of(args);
        status(tools().head(args));
    }

    @Descriptor("the last lines of the input (coreutils tail)")
    public void tail(@Descriptor("[-n N|-N|-n +N] [FILE...]: 10 lines; +N from line N on") String... args) {
        args = Words.of(args);
        status(tools().tail(args));
    }

    @Descriptor("the lines that match a pattern (GNU grep): status 0 a line matched, 1 none, 2 trouble")
    public void grep(@Descriptor("[-cvinqwxEF] [-e PATTERN] PATTERN [FILE...]") String... args) {
        args = Words.of(args);
        status(tools().grep(args));
    }

    @Descriptor("count lines, words and bytes (coreutils wc)")
    public void wc(@Descriptor("[-lwcm] [FILE...]") String... args) {
        args = Words.of(args);
        status(tools().wc(args));
    }

    @Descriptor("sort lines (coreutils sort)")
    public void sort(@Descriptor("[-rnuf] [FILE...]") String... args) {
        args = Words.of(args);
        status(tools().sort(args));
    }

    private TextTools tools() {
        PrintStream err = System.err;
        return new TextTools(System.in, System.out, err, this::read);
    }

    /** A model file through read(2); no kernel, no files. */
    private String read(String path) throws IOException {
        ServiceReference<Syscalls> ref;
        try {
            ref = context.getServiceReference(Syscalls.class);
        } catch (NoClassDefFoundError noKernelApi) {
            ref = null;
        }
        Syscalls sys = ref == null ? null : context.getService(ref);
        if (sys == null) {
            throw new IOException("No such file or directory");
        }
        try {
            return sys.read(path.startsWith("/") ? path : "/" + path);
        } catch (ErrnoException e) {
            throw new IOException(e.strerror());
        } finally {
            context.ungetService(ref);
        }
    }

    private static void status(int status) {
        Process p = Process.Utils.current();
        if (p != null) {
            p.error(status);
        }
    }
}
