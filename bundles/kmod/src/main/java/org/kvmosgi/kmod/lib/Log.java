package org.kvmosgi.kmod.lib;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.kvmosgi.console.api.CommandFailure;

/**
 * A tool's stderr (tools/log.c): {@code prog: LEVEL: message} lines, shown when their
 * priority is within the verbosity. The lines are held until the tool ends so that the
 * last one can travel as the {@link CommandFailure} message when the tool fails, which
 * the console prints as the tool's final stderr line.
 */
public final class Log {
    public static final int LOG_EMERG = 0;
    public static final int LOG_CRIT = 2;
    public static final int LOG_ERR = 3;
    public static final int LOG_WARNING = 4;
    public static final int LOG_NOTICE = 5;
    public static final int LOG_INFO = 6;
    public static final int LOG_DEBUG = 7;

    private final String prog;
    private final PrintStream err;
    private final List<String> pending = new ArrayList<>();
    private int verbose;

    public Log(String prog, PrintStream err, int verbose) {
        this.prog = prog;
        this.err = err;
        this.verbose = verbose;
    }

    public void verbose(int v) {
        this.verbose = v;
    }

    public int verbose() {
        return verbose;
    }

    public String prog() {
        return prog;
    }

    /**
     * log_printf(prio, ...): shown only when {@code prio <= verbose}. A FATAL message that
     * is shown ends the tool there, as tools/log.c exits after printing one; a silenced one
     * (modprobe -q) does not.
     */
    public void log(int prio, String message) {
        if (prio <= verbose) {
            pending.add(prog + ": " + level(prio) + ": " + message);
            if (prio <= LOG_CRIT) {
                exit(1);
            }
        }
    }

    public void err(String message) {
        log(LOG_ERR, message);
    }

    public void crit(String message) {
        log(LOG_CRIT, message);
    }

    public void warn(String message) {
        log(LOG_WARNING, message);
    }

    /** A line printed as it is, with no prefix (e.g. getopt's complaints). */
    public void raw(String line) {
        pending.add(line);
    }

    /** Ends the tool: on success flushes the lines to stderr; on failure throws with the last line. */
    public void exit(int status) {
        if (status == 0) {
            flushAll();
            return;
        }
        String last = pending.isEmpty() ? "" : pending.remove(pending.size() - 1);
        flushAll();
        throw new CommandFailure(last, status);
    }

    private void flushAll() {
        for (String l : pending) {
            err.println(l);
        }
        pending.clear();
        err.flush();
    }

    static String level(int prio) {
        return switch (prio) {
            case LOG_EMERG -> "EMERGENCY";
            case 1 -> "ALERT";
            case LOG_CRIT -> "FATAL";
            case LOG_ERR -> "ERROR";
            case LOG_WARNING -> "WARNING";
            case LOG_NOTICE -> "NOTICE";
            case LOG_INFO -> "INFO";
            case LOG_DEBUG -> "DEBUG";
            default -> "UNKNOWN";
        };
    }
}
