package org.kvmosgi.kmod.tool;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kmod.lib.Getopt;
import org.kvmosgi.kmod.lib.Log;

/** ls [-a] [PATH...]: names in the model's directories, one a line as ls writes to a pipe; dot files only with -a. */
public final class Ls extends Tool {
    private static final Getopt OPTS = new Getopt("ls", "a1", Map.of("all", "a", "help", "h"));

    public Ls(Syscalls sys, PrintStream out, PrintStream err) {
        super(sys, out, err, "ls", Log.LOG_ERR);
    }

    @Override
    void run(String... args) {
        Getopt.Result r;
        try {
            r = OPTS.parse(args);
        } catch (Getopt.UsageError e) {
            usage(e, 2);
            return;
        }
        if (r.has("h")) {
            out.print("Usage: ls [-a] [FILE]...\nList the names in each directory of the model, one a line ('/' by default).\n"
                    + "  -a, --all    do not ignore entries starting with .\n");
            return;
        }
        boolean all = r.has("a");
        List<String> paths = new ArrayList<>(r.operands());
        if (paths.isEmpty()) {
            paths.add("/");
        }
        int status = 0;
        boolean headers = paths.size() > 1;
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
                if (!all && n.startsWith(".")) {
                    continue;
                }
                out.println(n);
            }
        }
        out.flush();
        log.exit(status);
    }
}
