package org.kvmosgi.kmod.tool;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kmod.lib.Log;

/** cat [FILE...]: the model's files (/proc, /sys, and the root); no file or "-" is standard input. */
public final class Cat extends Tool {
    private final InputStream in;

    public Cat(Syscalls sys, InputStream in, PrintStream out, PrintStream err) {
        super(sys, out, err, "cat", Log.LOG_ERR);
        this.in = in;
    }

    @Override
    void run(String... args) {
        int status = 0;
        if (args.length == 0) {
            copyStdin();
        }
        for (String a : args) {
            if (a.equals("-")) {
                copyStdin();
                continue;
            }
            try {
                out.print(sys.read(absolute(a)));
            } catch (ErrnoException e) {
                log.raw("cat: " + a + ": " + e.strerror());
                status = 1;
            }
        }
        out.flush();
        log.exit(status);
    }

    private void copyStdin() {
        try {
            in.transferTo(out);
        } catch (IOException e) {
            log.raw("cat: -: " + e.getMessage());
        }
    }
}
