package org.kvmosgi.launcher;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The command line of {@code ./kvmsh}, parsed. Parsing never prints: a mistake is a
 * {@link UsageException} whose message is the one line the user sees.
 */
public final class Options {

    /** What the console does once the platform is up. */
    public enum Mode {
        /** No command and no file: the interactive shell (or stdin as a script when it is not a terminal). */
        INTERACTIVE,
        /** {@code -c "CMDS"}. */
        COMMAND,
        /** {@code FILE}: a script, run line by line. */
        SCRIPT,
        /** {@code --host help}: list the host profiles. */
        HOSTS,
        /** {@code -h}, {@code --help}: print the usage, boot nothing. */
        HELP
    }

    /** The host profile when none is given (CONTRACTS.md). */
    public static final String DEFAULT_HOST = "intel";

    public static final String USAGE = String.join("\n",
            "Usage: ./kvmsh [OPTIONS] [-c \"COMMANDS\" | FILE]",
            "",
            "Boots the simulated kernel on Apache Felix and runs its shell (Gogo).",
            "",
            "  (no command, no file)   interactive shell: line editing, history, TAB completion, help",
            "  -c \"COMMANDS\"           run COMMANDS (separated by ';' or newlines) like sh -c: go on",
            "                          after a failing one, exit with the status of the last one",
            "  FILE                    run the script FILE line by line, going on after a failing line",
            "                          like sh; exit with the status of the last line",
            "  --host PROFILE          the simulated host (default: " + DEFAULT_HOST + "); --host help lists them",
            "  --feature NAME          the module set laid out below /lib/modules (repeatable; default:",
            "                          kvm-x86 or kvm-ppc after the host's architecture when the",
            "                          distribution has it, else fixtures)",
            "  --cmdline \"ARGS\"        the kernel command line (module_blacklist=..., mod.param=value)",
            "  --unsealed              Gogo's and Felix's raw shell: host files, URLs, Java calls (the",
            "                          default, sealed shell sees the model's file system only)",
            "  --explore ...           explore every sequence of operations instead (--explore --help)",
            "  -h, --help              print this help",
            "",
            "Output goes to stdout, errors to stderr; the platform's log is .kvmsh/log/kvmsh.log.");

    private final Mode mode;
    private final String commands;
    private final String script;
    private final String host;
    private final List<String> features;
    private final String cmdline;
    private boolean unsealed;

    private Options(Mode mode, String commands, String script, String host, List<String> features, String cmdline) {
        this.mode = mode;
        this.commands = commands;
        this.script = script;
        this.host = host;
        this.features = Collections.unmodifiableList(features);
        this.cmdline = cmdline;
    }

    public Mode mode() {
        return mode;
    }

    /** The commands of {@code -c}, or null. */
    public String commands() {
        return commands;
    }

    /** The script of {@code FILE} as the user typed it, or null. */
    public String script() {
        return script;
    }

    public String host() {
        return host;
    }

    /** The module sets named with {@code --feature}, in order; empty: the default rule applies. */
    public List<String> features() {
        return features;
    }

    /** The kernel command line, empty when not given. */
    public String cmdline() {
        return cmdline;
    }

    /** {@code --unsealed}: the console runs Gogo's raw shell instead of the sealed one. */
    public boolean unsealed() {
        return unsealed;
    }

    /** A command-line mistake; the message is the complete line shown after {@code kvmsh: }. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        public UsageException(String message) {
            super(message, null, false, false);
        }
    }

    public static Options parse(String... args) throws UsageException {
        String commands = null;
        String script = null;
        String host = null;
        String cmdline = null;
        boolean help = false;
        boolean unsealed = false;
        List<String> features = new ArrayList<>();
        boolean optionsEnded = false;

        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!optionsEnded && arg.startsWith("-") && !arg.equals("-")) {
                String name = arg;
                String value = null;
                int eq = arg.indexOf('=');
                if (arg.startsWith("--") && eq > 0) {
                    name = arg.substring(0, eq);
                    value = arg.substring(eq + 1);
                }
                switch (name) {
                case "--":
                    optionsEnded = true;
                    break;
                case "-h":
                case "--help":
                    help = true;
                    break;
                case "-c":
                    if (commands != null) {
                        throw new UsageException("option -c given twice (join the commands with ';')");
                    }
                    if (i + 1 >= args.length) {
                        throw new UsageException("option -c needs the commands to run, e.g. -c \"lsmod\"");
                    }
                    commands = args[++i];
                    break;
                case "--host":
                    if (host != null) {
                        throw new UsageException("option --host given twice");
                    }
                    host = value != null ? value : valueOf(args, ++i, "--host", "a host profile (--host help lists them)");
                    if (host.isEmpty()) {
                        throw new UsageException("option --host needs a host profile (--host help lists them)");
                    }
                    break;
                case "--feature":
                    String feature = value != null ? value : valueOf(args, ++i, "--feature", "a feature name, e.g. fixtures");
                    if (!feature.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                        throw new UsageException("option --feature needs a feature name, e.g. fixtures (got '" + feature + "')");
                    }
                    if (feature.equals(RootFs.PLATFORM)) {
                        throw new UsageException("--feature names a module set; the platform is always there");
                    }
                    if (!features.contains(feature)) {
                        features.add(feature);
                    }
                    break;
                case "--unsealed":
                    unsealed = true;
                    break;
                case "--cmdline":
                    if (cmdline != null) {
                        throw new UsageException("option --cmdline given twice (quote the whole command line once)");
                    }
                    cmdline = value != null ? value : valueOf(args, ++i, "--cmdline", "the kernel command line, e.g. --cmdline \"kvm.halt_poll_ns=0\"");
                    break;
                default:
                    throw new UsageException("unknown option '" + arg + "' (./kvmsh --help lists the options)");
                }
            } else if (script == null) {
                script = arg;
            } else {
                throw new UsageException("unexpected argument '" + arg + "' after the script " + script);
            }
        }

        if (help) {
            return new Options(Mode.HELP, null, null, DEFAULT_HOST, features, "");
        }
        Options parsed = parse(commands, script, host, features, cmdline);
        parsed.unsealed = unsealed;
        return parsed;
    }

    private static Options parse(String commands, String script, String host, List<String> features, String cmdline)
            throws UsageException {
        if (commands != null && script != null) {
            throw new UsageException("give either -c \"COMMANDS\" or a script FILE, not both");
        }
        Mode mode;
        if ("help".equals(host)) {
            if (commands != null || script != null) {
                throw new UsageException("--host help lists the host profiles; it takes no commands or script");
            }
            mode = Mode.HOSTS;
            host = DEFAULT_HOST;
        } else if (commands != null) {
            mode = Mode.COMMAND;
        } else if (script != null) {
            mode = Mode.SCRIPT;
        } else {
            mode = Mode.INTERACTIVE;
        }
        return new Options(mode, commands, script, host == null ? DEFAULT_HOST : host, features,
                cmdline == null ? "" : cmdline);
    }

    private static String valueOf(String[] args, int i, String option, String what) throws UsageException {
        if (i >= args.length) {
            throw new UsageException("option " + option + " needs " + what);
        }
        return args[i];
    }
}
