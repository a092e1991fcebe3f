package org.kvmosgi.kmod.tool;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kmod.lib.Getopt;
import org.kvmosgi.kmod.lib.Log;

/** cat [-n] [FILE...]: the model's files (/proc, /sys, and the root); no file or "-" is standard input. */
public final class Cat extends Tool {
    private static final Getopt OPTS = new Getopt("cat", "nu", Map.of("number", "n"));
    private final InputStream in;
    private boolean number;
    private int line = 1;
    private boolean atLineStart = true;

    public Cat(Syscalls sys, InputStream in, PrintStream out, PrintStream err) {
        super(sys, out, err, "cat", Log.LOG_ERR);
        this.in = in;
    }

    @Override
    void run(String... args) {
        Getopt.Result r;
        try {
            r = OPTS.parse(args);
        } catch (Getopt.UsageError e) {
            usage(e, 1);
            return;
        }
        number = r.has("n");
        List<String> files = r.operands().isEmpty() ? List.of("-") : r.operands();
        int status = 0;
        for (String a : files) {
            if (a.equals("-")) {
                try {
                    emit(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    log.raw("cat: -: " + e.getMessage());
                    status = 1;
                }
                continue;
            }
            try {
                emit(sys.read(absolute(a)));
            } catch (ErrnoException e) {
                log.raw("cat: " + a + ": " + e.strerror());
                status = 1;
            }
        }
        out.flush();
        log.exit(status);
    }

    /** Writes the text, numbering lines across files as {@code cat -n} does. */
    private void emit(String text) {
        if (!number) {
            out.print(text);
            return;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (atLineStart) {
                out.printf("%6d\t", line++);
                atLineStart = false;
            }
            out.print(c);
            if (c == '\n') {
                atLineStart = true;
            }
        }
    }
}
