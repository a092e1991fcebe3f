package org.kvmosgi.kmod;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.kvmosgi.console.api.CommandFailure;

/** One tool run in a test: its stdout, its stderr, and the failure line if it failed. */
public final class Run {
    public interface Tool {
        void run(PrintStream out, PrintStream err, java.io.InputStream in);
    }

    public final String out;
    public final String err;
    /** The CommandFailure's message, or null when the tool succeeded. */
    public final String failure;
    public final int status;

    private Run(String out, String err, String failure, int status) {
        this.out = out;
        this.err = err;
        this.failure = failure;
        this.status = status;
    }

    public static Run of(Tool t) {
        return of("", t);
    }

    public static Run of(String stdin, Tool t) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        PrintStream po = new PrintStream(o, true, StandardCharsets.UTF_8);
        PrintStream pe = new PrintStream(e, true, StandardCharsets.UTF_8);
        String failure = null;
        int status = 0;
        try {
            t.run(po, pe, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        } catch (CommandFailure f) {
            failure = f.getMessage();
            status = f.status();
        }
        return new Run(o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8), failure, status);
    }

    /** Everything on stderr including the failure line, as the user sees it. */
    public String stderr() {
        return err + (failure == null || failure.isEmpty() ? "" : failure + "\n");
    }
}
