package org.kvmosgi.testsupport.kit;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.kvmosgi.console.api.CommandFailure;

/**
 * Shell lines as a user types them in kvmsh ({@code modprobe kvm_intel}, {@code lsmod},
 * {@code dmesg | grep kvm}), each in a Gogo session of its own, with what kvmsh would show:
 * stdout, stderr and the exit status. A failing command's message goes to stderr and its
 * status is the command's (1 unless it says otherwise), as kvmsh reports it; anything that
 * is not a {@code CommandFailure} is a bug of the command and is thrown.
 */
public final class Shell {
    /**
     * What a line printed and its status.
     *
     * @param failure the failing command's message (what kvmsh prints on stderr for it), null when none failed
     */
    public record Result(String out, String err, int status, String failure) {
        /** stdout's lines, trailing blanks dropped. */
        public List<String> lines() {
            return out.lines().map(String::stripTrailing).toList();
        }

        public boolean ok() {
            return status == 0;
        }

        /** stdout, or only {@code FAIL: message} when a command failed: what the line gave a user to read. */
        public String outOrFailure() {
            return failure == null ? out : "FAIL: " + failure;
        }

        /** stdout, then {@code FAIL: message} when a command failed (what it printed before failing is kept). */
        public String transcript() {
            return failure == null ? out : out + "FAIL: " + failure;
        }

        @Override
        public String toString() {
            return "status " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private final CommandProcessor processor;

    public Shell(CommandProcessor processor) {
        this.processor = processor;
    }

    /** Runs one program (a command, a pipeline, {@code a; b}); stops at a failing command. */
    public Result run(String program) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = 0;
        String failure = null;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
                CommandSession s = processor.createSession(new ByteArrayInputStream(new byte[0]), o, e)) {
            try {
                s.execute(program);
            } catch (Exception ex) {
                CommandFailure f = failure(ex);
                if (f == null) {
                    throw new AssertionError("`" + program + "` threw " + ex + " instead of failing as a command", ex);
                }
                failure = f.getMessage() == null ? "" : f.getMessage();
                if (!failure.isEmpty()) {
                    e.println(failure);
                }
                status = f.status() != 0 ? f.status() : 1;
            }
        }
        return new Result(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), status, failure);
    }

    /** Runs a program that must succeed; its stdout. */
    public String ok(String program) {
        Result r = run(program);
        if (!r.ok()) {
            throw new AssertionError("`" + program + "` failed: " + r);
        }
        return r.out();
    }

    private static CommandFailure failure(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof CommandFailure f) {
                return f;
            }
        }
        return null;
    }
}
