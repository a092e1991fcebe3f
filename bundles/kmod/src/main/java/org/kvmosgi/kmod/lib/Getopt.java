package org.kvmosgi.kmod.lib;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * getopt_long(3) as glibc does it for the kmod tools: short options may be grouped
 * ({@code -nv}), take their argument attached or as the next word, long options take
 * {@code --name=value} or the next word and may be abbreviated to a unique prefix,
 * options and operands may be mixed (GNU permutation), and {@code --} ends the options.
 * Errors carry glibc's wording.
 */
public final class Getopt {
    /** One parsed option: its key (the short letter, or the long name when it has none) and argument. */
    public record Opt(String key, String arg) {}

    /** A usage error, worded as glibc prints it after the program name. */
    public static final class UsageError extends Exception {
        private static final long serialVersionUID = 1L;

        public UsageError(String message) {
            super(message, null, false, false);
        }
    }

    private final String prog;
    private final String shortOpts;
    /** long name -> key (a short letter, or the long name itself); a trailing '=' in the name means it takes an argument. */
    private final Map<String, String> longOpts;

    /**
     * @param shortOpts getopt's optstring: letters, a ':' after one that takes an argument
     * @param longOpts long name to the key it stands for; write the name as {@code "name="}
     *        when the option takes an argument
     */
    public Getopt(String prog, String shortOpts, Map<String, String> longOpts) {
        this.prog = prog;
        this.shortOpts = shortOpts;
        this.longOpts = longOpts;
    }

    /** The parse result: options in order and the operands. */
    public record Result(List<Opt> options, List<String> operands) {
        public boolean has(String key) {
            return options.stream().anyMatch(o -> o.key().equals(key));
        }

        /** The argument of the last occurrence of the option, or null. */
        public String last(String key) {
            String v = null;
            for (Opt o : options) {
                if (o.key().equals(key)) {
                    v = o.arg();
                }
            }
            return v;
        }
    }

    public Result parse(String... args) throws UsageError {
        List<Opt> opts = new ArrayList<>();
        List<String> operands = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                for (int k = i + 1; k < args.length; k++) {
                    operands.add(args[k]);
                }
                break;
            }
            if (a.startsWith("--")) {
                String body = a.substring(2);
                String value = null;
                int eq = body.indexOf('=');
                if (eq >= 0) {
                    value = body.substring(eq + 1);
                    body = body.substring(0, eq);
                }
                String name = resolveLong(body, a);
                boolean takesArg = longOpts.containsKey(name + "=");
                String key = longOpts.get(takesArg ? name + "=" : name);
                if (takesArg) {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new UsageError(prog + ": option '--" + name + "' requires an argument");
                        }
                        value = args[++i];
                    }
                } else if (value != null) {
                    throw new UsageError(prog + ": option '--" + name + "' doesn't allow an argument");
                }
                opts.add(new Opt(key, value));
            } else if (a.startsWith("-") && a.length() > 1) {
                for (int j = 1; j < a.length(); j++) {
                    char c = a.charAt(j);
                    int at = shortOpts.indexOf(c);
                    if (at < 0 || c == ':') {
                        throw new UsageError(prog + ": invalid option -- '" + c + "'");
                    }
                    boolean takesArg = at + 1 < shortOpts.length() && shortOpts.charAt(at + 1) == ':';
                    if (takesArg) {
                        String value;
                        if (j + 1 < a.length()) {
                            value = a.substring(j + 1);
                        } else if (i + 1 < args.length) {
                            value = args[++i];
                        } else {
                            throw new UsageError(prog + ": option requires an argument -- '" + c + "'");
                        }
                        opts.add(new Opt(String.valueOf(c), value));
                        break;
                    }
                    opts.add(new Opt(String.valueOf(c), null));
                }
            } else {
                operands.add(a);
            }
        }
        return new Result(opts, operands);
    }

    private String resolveLong(String body, String word) throws UsageError {
        if (longOpts.containsKey(body) || longOpts.containsKey(body + "=")) {
            return body;
        }
        // a unique prefix is enough; prefixes of several names that mean one option too
        String found = null;
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (Map.Entry<String, String> e : longOpts.entrySet()) {
            String name = e.getKey().endsWith("=") ? e.getKey().substring(0, e.getKey().length() - 1) : e.getKey();
            if (name.startsWith(body)) {
                keys.add(e.getValue());
                if (found == null || name.compareTo(found) < 0) {
                    found = name;
                }
            }
        }
        if (found == null) {
            throw new UsageError(prog + ": unrecognized option '" + word + "'");
        }
        if (keys.size() > 1) {
            throw new UsageError(prog + ": option '" + word + "' is ambiguous");
        }
        return found;
    }
}
