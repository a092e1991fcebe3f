package org.kvmosgi.diag.command;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.kvmosgi.console.api.CommandFailure;
import org.kvmosgi.kernel.api.syscall.Syscalls;

/**
 * Where a picture goes: stdout, or with {@code -o FILE} a file of the model's file system
 * (kvmsh refuses {@code >}, which would write the host's files), read back with {@code cat}.
 */
final class Output {
    private final String prog;
    private final String file;
    private final List<String> lines = new ArrayList<>();

    private Output(String prog, String file) {
        this.prog = prog;
        this.file = file;
    }

    /** Takes {@code -o FILE} out of {@code args}; what is left stays in {@code rest}. */
    static Output parse(String prog, String usage, String[] args, List<String> rest) {
        String file = null;
        for (int i = 0; args != null && i < args.length; i++) {
            if (args[i].equals("-o")) {
                if (i + 1 == args.length || file != null) {
                    throw new CommandFailure(usage);
                }
                file = args[++i];
            } else {
                rest.add(args[i]);
            }
        }
        return new Output(prog, file);
    }

    Consumer<String> sink() {
        return file == null ? System.out::println : lines::add;
    }

    /** Writes the file, when one was named. */
    void finish(Syscalls sys) {
        if (file != null) {
            KernelAccess.write(sys, file, String.join("\n", lines) + "\n", prog);
        }
    }
}
