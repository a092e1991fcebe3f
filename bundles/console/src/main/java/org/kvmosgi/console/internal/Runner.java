package org.kvmosgi.console.internal;

import java.io.PrintStream;
import java.util.function.BooleanSupplier;
import org.apache.felix.gogo.runtime.EOFError;
import org.apache.felix.gogo.runtime.Parser;
import org.apache.felix.gogo.runtime.SyntaxError;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.apache.felix.service.command.Job;
import org.apache.felix.service.command.JobListener;
import org.apache.felix.service.command.Result;

/**
 * Runs one Gogo program in the console's session and turns its outcome into a status and,
 * on failure, one line on stderr (no stack trace: {@code $exception printStackTrace}
 * shows it, as in gosh).
 */
final class Runner implements JobListener {
    private final CommandSession session;
    private final PrintStream out;
    private final PrintStream err;
    private final BooleanSupplier closing;
    private volatile int lastStatus;
    /** The error code (Gogo's process.error, e.g. grep finding nothing) of the last top-level job. */
    private volatile int lastJobError;

    Runner(CommandSession session, PrintStream out, PrintStream err, BooleanSupplier closing) {
        this.session = session;
        this.out = out;
        this.err = err;
        this.closing = closing;
    }

    CommandSession session() {
        return session;
    }

    int lastStatus() {
        return lastStatus;
    }

    /**
     * Executes {@code program}; returns its status.
     *
     * @throws ExitRequest when the program ran {@code exit}
     */
    int run(CharSequence program) {
        String text = program.toString();
        String file = ProgramText.fileRedirection(text);
        if (file != null) {
            err.println("kvmsh: " + file + ": redirection to a file is not supported: it would reach the host's "
                    + "files, not the model's; write with tee (echo 0 | tee /sys/module/kvm/parameters/halt_poll_ns)");
            err.flush();
            lastStatus = 1;
            return 1;
        }
        int status = 0;
        for (String command : ProgramText.commands(text)) {
            status = runOne(command);
        }
        return status;
    }

    /** Runs one top-level command (a pipeline, or an and-or list); returns its status. */
    private int runOne(CharSequence program) {
        int status;
        lastJobError = 0;
        try {
            Object result = session.execute(program);
            if (result != null && !Boolean.FALSE.equals(session.get(".Gogo.format"))) {
                // what gosh does with a command's value: show it
                out.println(session.format(result, Converter.INSPECT));
            }
            // a command that reports failure by status alone, as sh reports it: silently
            status = lastJobError;
        } catch (ExitRequest exit) {
            lastStatus = exit.status();
            throw exit;
        } catch (Exception e) {
            ExitRequest exit = exitRequest(e);
            if (exit != null) {
                lastStatus = exit.status();
                throw exit;
            }
            session.put("exception", e);
            if (closing.getAsBoolean()) {
                // the framework is stopping (`stop 0`, a signal): nothing to tell
                status = 130;
            } else if (e instanceof InterruptedException || Thread.interrupted()) {
                // Ctrl-C: the user knows; sh reports 128 + SIGINT
                err.println();
                status = 130;
            } else {
                String line = Errors.describe(e);
                // a tool silenced by -q fails with nothing to say (modprobe -q)
                if (!line.isEmpty()) {
                    err.println(line);
                }
                status = Errors.status(e);
            }
        } finally {
            out.flush();
            err.flush();
        }
        lastStatus = status;
        return status;
    }

    @Override
    public void jobChanged(Job job, Job.Status previous, Job.Status current) {
        if (current == Job.Status.Done && job.parent() == null) {
            Result result = job.result();
            lastJobError = result == null || result.exception() != null ? 0 : result.error();
        }
    }

    private static ExitRequest exitRequest(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof ExitRequest) {
                return (ExitRequest) t;
            }
        }
        return null;
    }

    /** Whether {@code text} is a whole program, or needs more lines (an open brace, quote...). */
    static boolean complete(CharSequence text) {
        try {
            new Parser(text).program();
            return true;
        } catch (EOFError e) {
            return false;
        } catch (SyntaxError e) {
            // complete but wrong: running it reports the error in Gogo's words
            return true;
        }
    }
}
