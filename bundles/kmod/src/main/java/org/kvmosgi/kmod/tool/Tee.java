package org.kvmosgi.kmod.tool;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kmod.lib.Getopt;
import org.kvmosgi.kmod.lib.Log;

/**
 * tee [-a] FILE...: standard input to the model's files and to standard output. This is
 * how a module parameter is written from the shell ({@code echo 0 | tee
 * /sys/module/M/parameters/P}): Gogo's {@code >} redirects to the host's files, not the model's.
 */
public final class Tee extends Tool {
    private static final Getopt OPTS = new Getopt("tee", "a", Map.of("append", "a"));
    private final InputStream in;

    public Tee(Syscalls sys, InputStream in, PrintStream out, PrintStream err) {
        super(sys, out, err, "tee", Log.LOG_ERR);
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
        String data;
        try {
            data = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            log.raw("tee: standard input: " + e.getMessage());
            log.exit(1);
            return;
        }
        int status = 0;
        for (String f : r.operands()) {
            String abs = absolute(f);
            try {
                String content = data;
                if (r.has("a") && !isVirtual(abs)) {
                    try {
                        content = sys.read(abs) + data;
                    } catch (ErrnoException e) {
                        // a new file: nothing to append to
                    }
                }
                sys.write(abs, content);
            } catch (ErrnoException e) {
                log.raw("tee: " + f + ": " + e.strerror());
                status = 1;
            }
        }
        out.print(data);
        out.flush();
        log.exit(status);
    }
}
