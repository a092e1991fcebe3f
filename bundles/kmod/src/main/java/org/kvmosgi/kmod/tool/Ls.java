package org.kvmosgi.kmod.tool;

import java.io.PrintStream;
import java.util.List;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kmod.lib.Log;

/** ls [PATH...]: names in the model's directories, one a line as ls writes to a pipe. */
public final class Ls extends Tool {
    public Ls(Syscalls sys, PrintStream out, PrintStream err) {
        super(sys, out, err, "ls", Log.LOG_ERR);
    }

    @Override
    void run(String... args) {
        String[] paths = args.length == 0 ? new String[] {"/"} : args;
        int status = 0;
        boolean headers = paths.length > 1;
        boolean first = true;
        for (String p : paths) {
            String abs = absolute(p);
            List<String> names;
            try {
                names = sys.list(abs);
            } catch (ErrnoException e) {
                if (e.errno() == Errno.ENOTDIR.value()) {
                    out.println(p);
                } else {
                    log.raw("ls: cannot access '" + p + "': " + e.strerror());
                    status = 2;
                }
                continue;
            }
            if (headers) {
                if (!first) {
                    out.println();
                }
                out.println(p + ":");
            }
            first = false;
            for (String n : names) {
                out.println(n);
            }
        }
        out.flush();
        log.exit(status);
    }
}
