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
import org.kvmosgi.console.api.Sigint;

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
    /** Who reports a syntax error: "kvmsh", or the script's name, as sh and bash do. */
    private volatile String name = "kvmsh";
    private volatile boolean syntaxError;
    /** Ctrl-C came during the program: the commands after the interrupted one do not run, as in sh. */
    private volatile boolean interrupted;

    Runner(CommandSession session, PrintStream out, PrintStream err, BooleanSupplier closing) {
        this.session = session;
        this.out = out;
        this.err = err;
        this.closing = closing;
        session.put(ProgramText.STATUS_VARIABLE, 0);
    }

    CommandSession session() {
        return session;
    }

    int lastStatus() {
        return lastStatus;
    }

    /** Syntax errors are reported as {@code NAME: line N: syntax error: ...}. */
    void name(String name) {
        this.name = name;
    }

    /** Whether the last program did not parse (a script ends there, as in sh). */
    boolean syntaxError() {
        return syntaxError;
    }

    int run(CharSequence program) {
        return run(program, 1);
    }

    /**
     * Executes {@code program}; returns its status.
     *
     * @param firstLine the line of a script (or of {@code -c}'s text) the program starts on
     * @throws ExitRequest when the program ran {@code exit}
     */
    int run(CharSequence program, int firstLine) {
        String text = ProgramText.statusParameter(program.toString());
        syntaxError = false;
        interrupted = false;
        String wrong = parse(text, firstLine);
        if (wrong != null) {
            // nothing of a program that does not parse runs, as in sh
            err.println(wrong);
            err.flush();
            syntaxError = true;
            lastStatus = 2;
            return 2;
        }
        String file = ProgramText.fileRedirection(text);
        if (file != null) {
            err.println("kvmsh: " + file + ": redirection to a file is not supported: it would reach the host's "
                    + "files, not the model's; write with tee (echo 0 | tee /sys/module/kvm/parameters/halt_poll_ns)");
            err.flush();
            lastStatus = 1;
            return 1;
        }
        int status = 0;
        int from = 0;
        for (String command : ProgramText.commands(text)) {
            if (interrupted) {
                lastStatus = 130;
                return 130;
            }
            int at = Math.max(text.indexOf(command, from), from);
            int line = firstLine + (int) text.substring(0, at).chars().filter(c -> c == '\n').count();
            from = at + command.length();
            status = runOne(command, line);
        }
        return status;
    }

    /** The syntax-error line for {@code text}, or null when it parses. */
    private String parse(String text, int firstLine) {
        try {
            new Parser(text).program();
            return null;
        } catch (SyntaxError e) {
            return syntaxLine(firstLine + e.line(), e.getMessage());
        } catch (StackOverflowError e) {
            return syntaxLine(firstLine, "nested too deeply");
        }
    }

    private String syntaxLine(int line, String message) {
        return name + ": line " + line + ": syntax error: " + message;
    }

    /** Runs one top-level command (a pipeline, or an and-or list); returns its status. */
    private int runOne(CharSequence program, int firstLine) {
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
        } catch (StackOverflowError e) {
            // a closure calling itself, or nesting Gogo evaluates recursively
            err.println(name + ": line " + firstLine + ": nested too deeply: the shell's stack ran out");
            status = 2;
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
            } else if ((e instanceof InterruptedException || Thread.interrupted()) && Errors.commandFailure(e) == null) {
                // Ctrl-C: the user knows; sh reports 128 + SIGINT (a tool that says what the
                // signal ended, as vm run does, prints its own line below)
                err.println();
                status = 130;
            } else if (Errors.syntaxError(e) != null) {
                SyntaxError se = Errors.syntaxError(e);
                err.println(syntaxLine(firstLine + se.line(), se.getMessage()));
                status = 2;
            } else if (Errors.wrongArguments(e) != null) {
                // Gogo found no method of the command taking these arguments
                err.println(name + ": " + Errors.wrongArguments(e) + ": wrong arguments (help "
                        + Errors.wrongArguments(e) + " shows how to call it)");
                status = 2;
            } else if (Errors.noMatch(e) != null) {
                // Gogo globs as zsh does: a pattern that matches nothing is an error
                err.println(name + ": no matches found: " + Errors.noMatch(e));
                status = 1;
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
        session.put(ProgramText.STATUS_VARIABLE, status);
        return status;
    }

    /**
     * SIGINT, as the shell's process gets it from the terminal: a command with a handler of
     * its own ({@link Sigint}) runs it, any other has its job (its pipeline threads)
     * interrupted; nothing after it in the program runs. Returns whether a command was
     * running.
     */
    boolean interrupt() {
        interrupted = true;
        Object handler = session.get(Sigint.HANDLER);
        if (handler instanceof Runnable) {
            ((Runnable) handler).run();
            return true;
        }
        Job job = session.foregroundJob();
        if (job != null) {
            job.interrupt();
            return true;
        }
        return false;
    }

    /** Whether Ctrl-C came during the last program. */
    boolean interrupted() {
        return interrupted;
    }

    @Override
    public void jobChanged(Job job, Job.Status previous, Job.Status current) {
        if (current == Job.Status.Done && job.parent() == null) {
            Result result = job.result();
            lastJobError = result == null || result.exception() != null ? 0 : result.error();
            // $? inside an and-or list (`false || echo $?`) reads the pipeline that just ended
            session.put(ProgramText.STATUS_VARIABLE, result == null ? 0
                    : result.exception() != null ? Errors.status(result.exception()) : result.error());
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
        } catch (SyntaxError | StackOverflowError e) {
            // complete but wrong: running it reports the syntax error
            return true;
        }
    }
}
