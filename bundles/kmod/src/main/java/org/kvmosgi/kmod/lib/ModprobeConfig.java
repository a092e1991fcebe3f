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

    /** kcmdline_parse(): {@code mod.param=value} become options, {@code modprobe.blacklist=a,b} blacklist entries. */
    public void parseKernelCmdline(String cmdline) {
        String s = cmdline;
        int nl = s.indexOf('\n');
        if (nl >= 0) {
            s = s.substring(0, nl);
        }
        int start = 0;
        boolean quoted = false;
        for (int i = 0; i <= s.length(); i++) {
            char c = i < s.length() ? s.charAt(i) : ' ';
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ' ' && !quoted) {
                if (i > start) {
                    kcmdlineWord(s.substring(start, i));
                }
                start = i + 1;
            }
        }
    }

    private void kcmdlineWord(String word) {
        int eq = word.indexOf('=');
        int dot = word.indexOf('.');
        // the module name ends at the first '.' that comes before the '='
        if (dot <= 0 || eq < 0 || dot > eq) {
            return;
        }
        String modname = word.substring(0, dot);
        String param = word.substring(dot + 1);
        if (modname.equals("modprobe") && param.startsWith("blacklist=")) {
            for (String m : param.substring("blacklist=".length()).split(",", -1)) {
                blacklist.add(m);
            }
        } else {
            options.add(new Options(ModName.normalize(modname), param));
        }
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
