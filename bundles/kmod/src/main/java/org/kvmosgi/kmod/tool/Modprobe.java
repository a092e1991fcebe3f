package org.kvmosgi.kmod.tool;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kmod.lib.Getopt;
import org.kvmosgi.kmod.lib.Kmod;
import org.kvmosgi.kmod.lib.Kmod.Mod;
import org.kvmosgi.kmod.lib.KmodCache;
import org.kvmosgi.kmod.lib.Log;
import org.kvmosgi.kmod.lib.ModprobeConfig;

/**
 * modprobe (tools/modprobe.c with libkmod's kmod_module_probe_insert_module): looks the
 * name up (config aliases, modules.dep, symbols, commands, modules.alias), builds the
 * load list deepest first with softdeps around each module, inserts in order, stops at
 * the first error without rolling back. {@code -r} removes the module, then its
 * dependencies nobody uses any more.
 *
 * <p>install/remove commands of modprobe.d are not run: the model has no shell to run
 * them in; a module that has one fails with a message saying so.
 */
public final class Modprobe extends Tool {
    private static final Map<String, String> LONG = Map.ofEntries(
            Map.entry("all", "a"), Map.entry("remove", "r"), Map.entry("remove-dependencies", "remove-holders"),
            Map.entry("remove-holders", "remove-holders"), Map.entry("wait=", "w"), Map.entry("resolve-alias", "R"),
            Map.entry("first-time", "first-time"), Map.entry("ignore-install", "i"), Map.entry("ignore-remove", "i"),
            Map.entry("use-blacklist", "b"), Map.entry("force", "f"), Map.entry("force-modversion", "force-modversion"),
            Map.entry("force-vermagic", "force-vermagic"), Map.entry("show-depends", "D"), Map.entry("showconfig", "c"),
            Map.entry("show-config", "c"), Map.entry("dry-run", "n"), Map.entry("show", "n"),
            Map.entry("config=", "C"), Map.entry("dirname=", "d"), Map.entry("set-version=", "S"),
            Map.entry("syslog", "s"), Map.entry("quiet", "q"), Map.entry("verbose", "v"), Map.entry("version", "V"),
            Map.entry("help", "h"));
    private static final Getopt OPTS = new Getopt("modprobe", "arw:RibfDcnC:d:S:sqvVh", LONG);

    static final int DEFAULT_VERBOSE = Log.LOG_WARNING;

    private boolean doShow;
    private boolean dryRun;
    private boolean ignoreLoaded;
    private boolean lookupOnly;
    private boolean firstTime;
    private boolean ignoreCommands;
    private boolean useBlacklist;
    private boolean force;
    private boolean forceModversion;
    private boolean forceVermagic;
    private boolean removeHolders;
    /** LOG()'s priority: FATAL, or WARNING with -a. */
    private int logPriority = Log.LOG_CRIT;
    private Kmod kmod;

    public Modprobe(Syscalls sys, PrintStream out, PrintStream err) {
        super(sys, out, err, "modprobe", DEFAULT_VERBOSE);
    }

    /**
     * modprobe as the kernel's call_usermodehelper runs it without a shell (request_module's
     * {@code modprobe -q -- NAME}; {@code argv[0]} is the program): its output goes nowhere,
     * and its end is a wait status, 0 or 256 (exit status 1: modprobe said why on the stderr
     * nobody reads).
     */
    public static int usermodeHelper(Syscalls sys, KmodCache cache, String[] argv) {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        try {
            new Modprobe(sys, quiet, quiet).cachedIn(cache).main(Arrays.copyOfRange(argv, 1, argv.length));
            return 0;
        } catch (RuntimeException e) {
            return 256;
        }
    }

    @Override
    void run(String... args) {
        Getopt.Result r;
        try {
            r = OPTS.parse(args);
        } catch (Getopt.UsageError e) {
            usage(e);
            return;
        }
        boolean useAll = false;
        boolean doRemove = false;
        boolean showConfig = false;
        String version = null;
        for (Getopt.Opt o : r.options()) {
            switch (o.key()) {
                case "a" -> {
                    logPriority = Log.LOG_WARNING;
                    useAll = true;
                }
                case "r" -> doRemove = true;
                case "remove-holders" -> removeHolders = true;
                case "w" -> {
                    // waiting for the refcount needs no emulation: removal is synchronous here
                    if (!o.arg().matches("\\d+")) {
                        log.err("unexpected wait value '" + o.arg() + "'.");
                        log.exit(1);
                        return;
                    }
                }
                case "first-time" -> firstTime = true;
                case "i" -> ignoreCommands = true;
                case "b" -> useBlacklist = true;
                case "f" -> force = true;
                case "force-modversion" -> forceModversion = true;
                case "force-vermagic" -> forceVermagic = true;
                case "D" -> {
                    ignoreLoaded = true;
                    dryRun = true;
                    doShow = true;
                }
                case "R" -> lookupOnly = true;
                case "c" -> showConfig = true;
                case "n" -> dryRun = true;
                case "C", "d" -> {
                    log.err("option -" + o.key() + " is not supported: the model has one root and one configuration");
                    log.exit(1);
                    return;
                }
                case "S" -> version = o.arg();
                case "s" -> {
                    // syslog: the messages stay on stderr, which is where the shell shows them
                }
                case "q" -> log.verbose(Log.LOG_EMERG);
                case "v" -> log.verbose(log.verbose() + 1);
                case "V" -> {
                    out.println(VERSION);
                    return;
                }
                case "h" -> {
                    help();
                    return;
                }
                default -> {
                    log.err("unexpected getopt_long() value '" + o.key() + "'.");
                    log.exit(1);
                    return;
                }
            }
        }
        List<String> operands = r.operands();
        if (!showConfig && operands.isEmpty()) {
            log.err("missing parameters. See -h.");
            log.exit(1);
            return;
        }
        kmod = kmod(version);
        kmod.config();
        int err;
        if (showConfig) {
            err = showConfig();
        } else if (doRemove) {
            err = 0;
            for (String name : operands) {
                int e = rmmod(name);
                if (e < 0) {
                    err = e;
                }
            }
        } else if (useAll) {
            err = 0;
            for (String name : operands) {
                int e = insmod(name, null);
                if (e < 0) {
                    err = e;
                }
            }
        } else {
            err = insmod(operands.get(0), optionsFromArray(operands));
        }
        out.flush();
        log.exit(err >= 0 ? 0 : 1);
    }

    /** options_from_array(): the words after the name, a value with a space quoted. */
    static String optionsFromArray(List<String> operands) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i < operands.size(); i++) {
            String a = operands.get(i);
            if (b.length() > 0) {
                b.append(' ');
            }
            int eq = a.indexOf('=');
            String value = eq >= 0 ? a.substring(eq + 1) : null;
            if (value != null && !value.startsWith("\"") && !value.startsWith("'") && value.indexOf(' ') >= 0) {
                b.append(a, 0, eq + 1).append('"').append(value).append('"');
            } else {
                b.append(a);
            }
        }
        return b.length() == 0 ? null : b.toString();
    }

    // ------------------------------------------------------------ insertion

    private int insmod(String alias, String extraOptions) {
        List<Mod> list;
        if (alias.startsWith("/") || alias.startsWith("./")) {
            Mod m = isRegularFile(alias) ? kmod.fromPath(absolute(alias)) : null;
            if (m == null) {
                log.log(logPriority, "Failed to get module from path " + alias + ": "
                        + Errno.ENOENT.strerror());
                return Errno.ENOENT.neg();
            }
            list = List.of(m);
        } else {
            list = kmod.lookup(alias);
            if (list == null || list.isEmpty()) {
                log.log(logPriority, "Module " + alias + " not found in directory " + kmod.dirname());
                return Errno.ENOENT.neg();
            }
        }
        int err = 0;
        for (Mod m : list) {
            err = insmodInsert(m, extraOptions);
        }
        return err;
    }

    /** insmod_insert(): probe and turn a failure into modprobe's message about the module asked for. */
    private int insmodInsert(Mod mod, String extraOptions) {
        int err = 0;
        if (lookupOnly) {
            out.println(mod.name);
        } else {
            err = probeInsert(mod, extraOptions);
        }
        if (err >= 0) {
            return 0;
        }
        Errno e = Errno.of(err);
        if (e == Errno.EEXIST) {
            log.err("could not insert '" + mod.name + "': Module already in kernel");
        } else if (e == Errno.ENOENT) {
            log.err("could not insert '" + mod.name + "': Unknown symbol in module, or unknown parameter (see dmesg)");
        } else {
            log.err("could not insert '" + mod.name + "': " + Errno.strerror(err));
        }
        return err;
    }

    /** One entry of the load list. */
    private record Node(Mod mod) {}

    /** Per-probe state libkmod keeps on each module (by name, as its module pool does): visited, required, ignorecmd. */
    private final Set<String> visited = new HashSet<>();
    private final Set<String> required = new HashSet<>();
    private final Map<String, Boolean> ignoreCmd = new java.util.HashMap<>();

    /** kmod_module_probe_insert_module(); a positive value means "blacklisted, nothing done". */
    private int probeInsert(Mod mod, String extraOptions) {
        ModprobeConfig cfg = kmod.config();
        if (!ignoreLoaded && kmod.isInKernel(mod.name)) {
            return firstTime ? Errno.EEXIST.neg() : 0;
        }
        if (cfg.isBlacklisted(mod.name)) {
            // KMOD_PROBE_APPLY_BLACKLIST_ALIAS_ONLY is always set; -b applies it to plain names
            if (mod.alias != null || useBlacklist) {
                return 1;
            }
        }
        visited.clear();
        required.clear();
        ignoreCmd.clear();
        List<Node> list = new ArrayList<>();
        probeList(mod, true, ignoreCommands, list);

        int err = 0;
        for (Node n : list) {
            Mod m = n.mod();
            boolean isTarget = m.name.equals(mod.name);
            if (!ignoreLoaded && kmod.isInKernel(m.name)) {
                err = Errno.EEXIST.neg();
            } else {
                String options = concat(cfg.optionsFor(m.name, m.alias), isTarget ? extraOptions : null);
                String cmd = cfg.installCommand(m.name);
                boolean ignore = Boolean.TRUE.equals(ignoreCmd.get(m.name));
                if (cmd != null && !ignore) {
                    if (doShow || log.verbose() > DEFAULT_VERBOSE) {
                        out.println("install " + cmd + " " + (options == null ? "" : options));
                    }
                    if (!dryRun) {
                        log.err("Error running install command '" + cmd + "' for module " + m.name
                                + ": install commands cannot run here (the model has no shell); "
                                + "use modprobe -i to ignore them");
                        err = Errno.EINVAL.neg();
                    }
                } else {
                    if (doShow || log.verbose() > DEFAULT_VERBOSE) {
                        printInsmod(m, options);
                    }
                    if (!dryRun) {
                        err = insertModule(m, options);
                    }
                }
            }
            if (err == Errno.EEXIST.neg() && isTarget && firstTime) {
                break;
            }
            if (err == Errno.EEXIST.neg() || !required.contains(m.name)) {
                err = 0;
            } else if (err < 0) {
                break;
            }
        }
        return err;
    }

    private void printInsmod(Mod m, String options) {
        if (m.path() == null) {
            // an alias to nothing shows nothing; a built-in module shows as such
            if ("builtin".equals(kmod.initstate(m.name))) {
                out.println("builtin " + m.name);
            }
            return;
        }
        out.println("insmod " + m.path() + " " + (options == null ? "" : options));
    }

    /** kmod_module_insert_module(). */
    private int insertModule(Mod m, String options) {
        if (m.path() == null) {
            log.err("could not find module by name='" + m.name + "'");
            return Errno.ENOENT.neg();
        }
        int flags = 0;
        if (forceModversion || force) {
            flags |= Syscalls.MODULE_INIT_IGNORE_MODVERSIONS;
        }
        if (forceVermagic || force) {
            flags |= Syscalls.MODULE_INIT_IGNORE_VERMAGIC;
        }
        int err = kmod.insert(m.path(), options, flags);
        if (err < 0) {
            log.log(Log.LOG_INFO, "Failed to insert module '" + m.path() + "': " + Errno.strerror(err));
        }
        return err;
    }

    /** module_options_concat(). */
    static String concat(String opt, String xopt) {
        if ((opt == null || opt.isEmpty()) && (xopt == null || xopt.isEmpty())) {
            return null;
        }
        if (opt == null) {
            return xopt;
        }
        return xopt == null ? opt + " " : opt + " " + xopt;
    }

    /** __kmod_module_get_probe_list(): dependencies (each with its softdeps), then the module with its own. */
    private void probeList(Mod mod, boolean isRequired, boolean ignorecmd, List<Node> list) {
        if (!visited.add(mod.name)) {
            return; // already visited: this is what breaks softdep loops
        }
        List<Mod> deps = kmod.dependencies(mod);
        if (isRequired) {
            required.add(mod.name);
            for (Mod d : deps) {
                required.add(d.name);
            }
        }
        for (Mod d : deps) {
            fillSoftdep(d, list);
        }
        if (ignorecmd) {
            ignoreCmd.put(mod.name, true);
            list.add(new Node(mod));
        } else {
            fillSoftdep(mod, list);
        }
    }

    /** __kmod_module_fill_softdep(): pre softdeps, the module, post softdeps. */
    private void fillSoftdep(Mod mod, List<Node> list) {
        List<Mod> pre = new ArrayList<>();
        List<Mod> post = new ArrayList<>();
        softdeps(mod, pre, post);
        for (Mod m : pre) {
            probeList(m, false, false, list);
        }
        ignoreCmd.put(mod.name, !pre.isEmpty() || !post.isEmpty());
        list.add(new Node(mod));
        for (Mod m : post) {
            probeList(m, false, false, list);
        }
    }

    /** kmod_module_get_softdeps(): the first matching softdep line, each name looked up. */
    private void softdeps(Mod mod, List<Mod> pre, List<Mod> post) {
        ModprobeConfig.Softdep s = kmod.config().softdepFor(mod.name);
        if (s == null) {
            return;
        }
        for (String n : s.pre()) {
            lookupDep(n, pre);
        }
        for (String n : s.post()) {
            lookupDep(n, post);
        }
    }

    private void lookupDep(String name, List<Mod> into) {
        List<Mod> l = kmod.lookup(name);
        if (l == null) {
            log.err("failed to lookup dependency '" + name + "', continuing anyway.");
            return;
        }
        into.addAll(l);
    }

    /** How systemd-modules-load reports each module (its log levels are Log's). */
    public interface ModulesLoadLog {
        void log(int priority, String message);
    }

    /**
     * systemd-modules-load's module_load_and_warn(): look the name up, skip what is built in
     * or loaded, probe the rest with the blacklist applied. Returns 0 or the negative errno
     * that makes the service fail (not -ENOENT or -ENODEV, which it only reports).
     */
    public int modulesLoad(String name, ModulesLoadLog report) {
        kmod = kmod(null);
        log.verbose(Log.LOG_EMERG);
        useBlacklist = true;
        List<Mod> list = kmod.lookup(name);
        if (list == null) {
            report.log(Log.LOG_ERR, "Failed to look up module alias '" + name + "': " + Errno.EINVAL.strerror());
            return Errno.EINVAL.neg();
        }
        if (list.isEmpty()) {
            report.log(Log.LOG_ERR, "Failed to find module '" + name + "'");
            return Errno.ENOENT.neg();
        }
        int ret = 0;
        for (Mod m : list) {
            if (kmod.isInKernel(m.name)) {
                report.log(Log.LOG_DEBUG, "Module '" + m.name + "' is already loaded");
                continue;
            }
            int err = probeInsert(m, null);
            if (err == 0) {
                report.log(Log.LOG_INFO, "Inserted module '" + m.name + "'");
            } else if (err > 0) {
                report.log(Log.LOG_INFO, "Module '" + m.name + "' is deny-listed (by kmod)");
            } else {
                Errno e = Errno.of(err);
                int prio = e == Errno.ENODEV ? Log.LOG_NOTICE : e == Errno.ENOENT ? Log.LOG_WARNING : Log.LOG_ERR;
                report.log(prio, "Failed to insert module '" + m.name + "': " + Errno.strerror(err));
                if (e != Errno.ENODEV && e != Errno.ENOENT) {
                    ret = err;
                }
            }
        }
        return ret;
    }

    // ------------------------------------------------------------ removal

    /** The modules this removal has reached: a softdep loop (kvm post: kvm_intel, kvm_intel post: kvm) ends there. */
    private final Set<String> removing = new HashSet<>();

    private int rmmod(String alias) {
        removing.clear();
        List<Mod> list = kmod.lookup(alias);
        if (list == null) {
            return Errno.EINVAL.neg();
        }
        int err = 0;
        if (list.isEmpty()) {
            log.log(logPriority, "Module " + alias + " not found.");
            err = Errno.ENOENT.neg();
        }
        for (Mod m : list) {
            err = rmmodDoModule(m, removeHolders, false);
            if (err < 0) {
                break;
            }
        }
        return err;
    }

    /** rmmod_do_module(). */
    private int rmmodDoModule(Mod mod, boolean holdersToo, boolean ignoreBuiltin) {
        if (!removing.add(mod.name)) {
            // already visited: cut silently, as libkmod's visited flag cuts the same loop when probing
            return 0;
        }
        List<Mod> pre = new ArrayList<>();
        List<Mod> post = new ArrayList<>();
        String cmd = null;
        if (!ignoreCommands) {
            softdeps(mod, pre, post);
            cmd = kmod.config().removeCommand(mod.name);
        }
        if (cmd == null && !ignoreLoaded) {
            String state = kmod.initstate(mod.name);
            if (state == null) {
                if (firstTime) {
                    log.log(logPriority, "Module " + mod.name + " is not in kernel.");
                    return Errno.ENOENT.neg();
                }
                return 0;
            }
            if (state.equals("builtin")) {
                if (ignoreBuiltin) {
                    return 0;
                }
                log.log(logPriority, "Module " + mod.name + " is builtin.");
                return Errno.ENOENT.neg();
            }
        }
        for (int i = post.size() - 1; i >= 0; i--) {
            rmmodDoModule(post.get(i), false, true);
        }
        if (holdersToo) {
            List<String> holders = kmod.holders(mod.name);
            if (holders != null) {
                for (int i = holders.size() - 1; i >= 0; i--) {
                    int e = rmmodDoModule(kmod.fromName(holders.get(i)), false, true);
                    if (e < 0) {
                        return e;
                    }
                }
            }
        }
        if (cmd == null && !ignoreLoaded) {
            if (kmod.refcnt(mod.name) > 0) {
                log.log(logPriority, "Module " + mod.name + " is in use.");
                return Errno.EBUSY.neg();
            }
        }
        int err;
        if (cmd == null) {
            err = removeModule(mod);
        } else {
            if (doShow || log.verbose() > DEFAULT_VERBOSE) {
                out.println("remove " + cmd);
            }
            if (dryRun) {
                err = 0;
            } else {
                log.log(logPriority, "Error running remove command for " + mod.name
                        + ": remove commands cannot run here (the model has no shell); use modprobe -r -i to ignore them");
                err = Errno.EINVAL.neg();
            }
        }
        if (err < 0) {
            return err;
        }
        if (cmd == null) {
            // the dependencies that nobody uses now; errors here are not fatal
            for (Mod dep : kmod.dependencies(mod)) {
                if (kmod.refcnt(dep.name) == 0) {
                    removeModule(dep);
                }
            }
        }
        for (int i = pre.size() - 1; i >= 0; i--) {
            rmmodDoModule(pre.get(i), false, true);
        }
        return err;
    }

    /** rmmod_do_remove_module(). */
    private int removeModule(Mod mod) {
        if (doShow || log.verbose() > DEFAULT_VERBOSE) {
            out.println("rmmod " + mod.name);
        }
        if (dryRun) {
            return 0;
        }
        int err = kmod.remove(mod.name, force);
        if (err == Errno.EEXIST.neg()) {
            if (!firstTime) {
                return 0;
            }
            log.log(logPriority, "Module " + mod.name + " is not in kernel.");
            return err;
        }
        if (err < 0) {
            log.err("could not remove '" + mod.name + "': " + Errno.strerror(err));
        }
        return err;
    }

    // ------------------------------------------------------------ -c and -h

    private int showConfig() {
        ModprobeConfig c = kmod.config();
        for (String b : c.blacklist) {
            out.println("blacklist " + b);
        }
        for (ModprobeConfig.Command i : c.install) {
            out.println("install " + i.modname() + " " + i.command());
        }
        for (ModprobeConfig.Command i : c.remove) {
            out.println("remove " + i.modname() + " " + i.command());
        }
        for (ModprobeConfig.Alias a : c.aliases) {
            out.println("alias " + a.name() + " " + a.modname());
        }
        for (ModprobeConfig.Options o : c.options) {
            out.println("options " + o.modname() + " " + o.options());
        }
        for (ModprobeConfig.Softdep s : c.softdeps) {
            StringBuilder b = new StringBuilder("softdep " + s.modname());
            if (!s.pre().isEmpty()) {
                b.append(" pre: ").append(String.join(" ", s.pre()));
            }
            if (!s.post().isEmpty()) {
                b.append(" post: ").append(String.join(" ", s.post()));
            }
            out.println(b);
        }
        for (ModprobeConfig.Softdep s : c.weakdeps) {
            out.println("weakdep " + s.modname() + " " + String.join(" ", s.pre()));
        }
        out.println();
        out.println("# End of configuration files. Dumping indexes now:");
        out.println();
        String alias = kmod.readOrNull(kmod.dirname() + "/modules.alias");
        String symbols = kmod.readOrNull(kmod.dirname() + "/modules.symbols");
        for (String text : new String[] {alias, symbols}) {
            if (text == null) {
                continue;
            }
            // kmod_dump_index() walks the binary index, a trie: keys come out sorted
            java.util.TreeSet<String> lines = new java.util.TreeSet<>();
            for (String line : text.split("\n")) {
                String[] w = line.strip().split("[ \t]+");
                if (w.length == 3 && w[0].equals("alias")) {
                    String key = org.kvmosgi.kmod.lib.ModName.underscores(w[1]);
                    lines.add("alias " + (key == null ? w[1] : key) + " " + w[2]);
                }
            }
            lines.forEach(out::println);
        }
        return 0;
    }

    private void help() {
        out.print("Usage:\n"
                + "\tmodprobe [options] [-i] [-b] modulename\n"
                + "\tmodprobe [options] -a [-i] [-b] modulename [modulename...]\n"
                + "\tmodprobe [options] -r [-i] modulename\n"
                + "\tmodprobe [options] -r -a [-i] modulename [modulename...]\n"
                + "\tmodprobe [options] -c\n"
                + "Management Options:\n"
                + "\t-a, --all                   Consider every non-argument to\n"
                + "\t                            be a module name to be inserted\n"
                + "\t                            or removed (-r)\n"
                + "\t-r, --remove                Remove modules instead of inserting\n"
                + "\t    --remove-holders        Also remove module holders (use together with -r)\n"
                + "\t    --first-time            Fail if module already inserted or removed\n"
                + "\t-i, --ignore-install        Ignore install commands\n"
                + "\t-i, --ignore-remove         Ignore remove commands\n"
                + "\t-b, --use-blacklist         Apply blacklist to resolved alias.\n"
                + "\t-f, --force                 Force module insertion or removal.\n"
                + "\t                            implies --force-modversions and\n"
                + "\t                            --force-vermagic\n"
                + "\t    --force-modversion      Ignore module's version\n"
                + "\t    --force-vermagic        Ignore module's version magic\n"
                + "\n"
                + "Query Options:\n"
                + "\t-R, --resolve-alias         Only lookup and print alias and exit\n"
                + "\t-D, --show-depends          Only print module dependencies and exit\n"
                + "\t-c, --showconfig            Print out known configuration and exit\n"
                + "\t-c, --show-config           Same as --showconfig\n"
                + "\n"
                + "General Options:\n"
                + "\t-n, --dry-run               Do not execute operations, just print out\n"
                + "\t-n, --show                  Same as --dry-run\n"
                + "\t-S, --set-version=VERSION   Use VERSION instead of `uname -r`\n"
                + "\t-q, --quiet                 disable messages\n"
                + "\t-v, --verbose               enables more messages\n"
                + "\t-V, --version               show version\n"
                + "\t-h, --help                  show this help\n");
    }
}
