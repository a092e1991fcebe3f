package org.kvmosgi.kmod.lib;

import java.util.ArrayList;
import java.util.List;

/**
 * modprobe.d configuration as libkmod-config.c reads it: {@code alias}, {@code options},
 * {@code blacklist}, {@code install}, {@code remove}, {@code softdep} (and {@code weakdep},
 * kept but unused by loading), then the kernel command line's {@code mod.param=value} and
 * {@code modprobe.blacklist=a,b}. Lists keep file order; lookups take the first match
 * where libkmod does.
 */
public final class ModprobeConfig {
    public record Alias(String name, String modname) {}

    public record Options(String modname, String options) {}

    public record Command(String modname, String command) {}

    public record Softdep(String modname, List<String> pre, List<String> post) {}

    public final List<Alias> aliases = new ArrayList<>();
    public final List<String> blacklist = new ArrayList<>();
    public final List<Options> options = new ArrayList<>();
    public final List<Command> install = new ArrayList<>();
    public final List<Command> remove = new ArrayList<>();
    public final List<Softdep> softdeps = new ArrayList<>();
    public final List<Softdep> weakdeps = new ArrayList<>();
    /** The lines libkmod logs as errors while parsing (without the program prefix). */
    public final List<String> errors = new ArrayList<>();

    /** Parses one configuration file's text; {@code filename} is used in error messages. */
    public void parse(String filename, String text) {
        List<String[]> lines = logicalLines(text);
        for (String[] numbered : lines) {
            String line = numbered[1];
            int linenum = Integer.parseInt(numbered[0]);
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            Tokens t = new Tokens(line);
            String cmd = t.next();
            if (cmd == null) {
                continue;
            }
            boolean ok = switch (cmd) {
                case "alias" -> {
                    String alias = t.next();
                    String modname = t.next();
                    if (alias == null || modname == null) {
                        yield false;
                    }
                    aliases.add(new Alias(us(alias), us(modname)));
                    yield true;
                }
                case "blacklist" -> {
                    String modname = t.next();
                    if (modname == null) {
                        yield false;
                    }
                    blacklist.add(us(modname));
                    yield true;
                }
                case "options", "install", "remove", "softdep", "weakdep" -> {
                    String modname = t.next();
                    String rest = t.rest();
                    if (modname == null || rest == null) {
                        yield false;
                    }
                    String m = us(modname);
                    switch (cmd) {
                        case "options" -> options.add(new Options(m, rest.replace('\t', ' ')));
                        case "install" -> install.add(new Command(m, rest));
                        case "remove" -> remove.add(new Command(m, rest));
                        case "softdep" -> softdeps.add(softdep(m, rest));
                        default -> weakdeps.add(new Softdep(m, List.of(rest.trim().split("\\s+")), List.of()));
                    }
                    yield true;
                }
                case "include", "config" -> {
                    errors.add(filename + ": command " + cmd + " is deprecated and not parsed anymore");
                    yield true;
                }
                default -> false;
            };
            if (!ok) {
                errors.add(filename + " line " + linenum + ": ignoring bad line starting with '" + cmd + "'");
            }
        }
    }

    /**
     * kmod_config_parse_kcmdline() (kmod 34): {@code mod.param=value} and {@code mod.flag}
     * become options of the module, {@code modprobe.blacklist=a,b} blacklist entries. A
     * second '.' before the '=', a '=' in the module name, or a quote outside the value
     * makes the word not an option; a value may be quoted and hold spaces; a word quoted as
     * a whole ({@code "mod.p=a b"}, as bootloaders pass it) is re-quoted around the value.
     */
    public void parseKernelCmdline(String cmdline) {
        final int ignore = 0;
        final int modname = 1;
        final int param = 2;
        final int value = 3;
        int state = modname;
        boolean quoted = false;
        boolean quotedWord = false;
        int wordStart = 0;
        int paramStart = -1;
        int valueStart = -1;
        int n = cmdline.length();
        for (int i = 0; i <= n; i++) {
            char c = i < n ? cmdline.charAt(i) : '\0';
            switch (c) {
                case '"' -> {
                    quoted = !quoted;
                    if (quoted && state == modname && i == wordStart) {
                        quotedWord = true;
                        wordStart = i + 1;
                    } else if (state != value) {
                        state = ignore;
                    }
                }
                case '\0', ' ', '\n', '\t', '\u000b', '\f', '\r' -> {
                    if (quoted && state == value && c != '\0') {
                        break;
                    }
                    if (quoted && c != '\0') {
                        state = ignore;
                    } else if (state == value || state == param) {
                        String mod = cmdline.substring(wordStart, paramStart - 1);
                        String end = cmdline.substring(paramStart, i);
                        if (quotedWord && end.endsWith("\"")) {
                            // "mod.p=a b": the quotes belong around the value
                            int eq = end.indexOf('=');
                            end = end.substring(0, eq + 1) + '"' + end.substring(eq + 1);
                        }
                        kcmdlineOption(mod, end, valueStart < 0 ? null : cmdline.substring(valueStart, i));
                        state = modname;
                        quoted = false;
                        quotedWord = false;
                        wordStart = i + 1;
                        paramStart = -1;
                        valueStart = -1;
                    } else {
                        state = modname;
                        quoted = false;
                        quotedWord = false;
                        wordStart = i + 1;
                        paramStart = -1;
                        valueStart = -1;
                    }
                }
                case '.' -> {
                    if (state == modname) {
                        paramStart = i + 1;
                        state = param;
                    } else if (state == param) {
                        state = ignore;
                    }
                }
                case '=' -> {
                    if (state == param) {
                        valueStart = i + 1;
                        state = value;
                    } else if (state == modname) {
                        state = ignore;
                    }
                }
                default -> {
                    // part of the current word
                }
            }
        }
    }

    private void kcmdlineOption(String modname, String param, String value) {
        if (modname.equals("modprobe") && param.startsWith("blacklist=")) {
            for (String m : (value == null ? "" : value).split(",", -1)) {
                blacklist.add(m);
            }
            return;
        }
        String m = ModName.underscores(modname);
        if (m == null) {
            errors.add("Ignoring bad option on kernel command line while parsing module name: '" + modname + "'");
            return;
        }
        options.add(new Options(m, param));
    }

    /** kmod_config_add_softdep(): words after {@code pre:} go before, after {@code post:} after; words before either are ignored. */
    static Softdep softdep(String modname, String line) {
        List<String> pre = new ArrayList<>();
        List<String> post = new ArrayList<>();
        List<String> mode = null;
        for (String w : line.trim().split("\\s+")) {
            if (w.equals("pre:")) {
                mode = pre;
            } else if (w.equals("post:")) {
                mode = post;
            } else if (mode != null && !w.isEmpty()) {
                mode.add(w);
            }
        }
        return new Softdep(modname, List.copyOf(pre), List.copyOf(post));
    }

    private static String us(String s) {
        String u = ModName.underscores(s);
        return u == null ? s : u;
    }

    /** Joins lines ending in a backslash with the next one (getline_wrapped); each entry is {first line number, text}. */
    static List<String[]> logicalLines(String text) {
        List<String[]> out = new ArrayList<>();
        String[] raw = text.split("\n", -1);
        StringBuilder cur = null;
        int first = 0;
        for (int i = 0; i < raw.length; i++) {
            String l = raw[i];
            if (l.endsWith("\r")) {
                l = l.substring(0, l.length() - 1);
            }
            if (cur == null) {
                cur = new StringBuilder();
                first = i + 1;
            }
            if (l.endsWith("\\")) {
                cur.append(l, 0, l.length() - 1);
                continue;
            }
            cur.append(l);
            out.add(new String[] {Integer.toString(first), cur.toString()});
            cur = null;
        }
        if (cur != null && cur.length() > 0) {
            out.add(new String[] {Integer.toString(first), cur.toString()});
        }
        if (!out.isEmpty() && text.endsWith("\n") && out.get(out.size() - 1)[1].isEmpty()) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    /** strtok_r over " \t": words, then the untouched rest of the line. */
    private static final class Tokens {
        private final String s;
        private int pos;

        Tokens(String s) {
            this.s = s;
        }

        String next() {
            while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
                pos++;
            }
            if (pos >= s.length()) {
                return null;
            }
            int start = pos;
            while (pos < s.length() && s.charAt(pos) != ' ' && s.charAt(pos) != '\t') {
                pos++;
            }
            String w = s.substring(start, pos);
            if (pos < s.length()) {
                pos++; // strtok_r consumes the one delimiter that ends the token
            }
            return w;
        }

        String rest() {
            if (pos >= s.length()) {
                return null;
            }
            String r = s.substring(pos);
            pos = s.length();
            return r;
        }
    }

    // ------------------------------------------------------------ queries

    /** kmod_module_get_options(): every options line for the name or the alias it was looked up by, space joined; null if none. */
    public String optionsFor(String name, String alias) {
        StringBuilder b = new StringBuilder();
        for (Options o : options) {
            if (!(o.modname().equals(name) || (alias != null && o.modname().equals(alias)))) {
                continue;
            }
            if (o.options().isEmpty()) {
                continue;
            }
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(o.options());
        }
        return b.length() == 0 ? null : b.toString();
    }

    public boolean isBlacklisted(String name) {
        return blacklist.contains(name);
    }

    /** The first install command whose name pattern matches, or null. */
    public String installCommand(String name) {
        return firstCommand(install, name);
    }

    public String removeCommand(String name) {
        return firstCommand(remove, name);
    }

    private static String firstCommand(List<Command> list, String name) {
        for (Command c : list) {
            if (Fnmatch.matches(c.modname(), name)) {
                return c.command();
            }
        }
        return null;
    }

    /** The first softdep entry whose name pattern matches, or null (libkmod stops at the first). */
    public Softdep softdepFor(String name) {
        for (Softdep s : softdeps) {
            if (Fnmatch.matches(s.modname(), name)) {
                return s;
            }
        }
        return null;
    }
}
