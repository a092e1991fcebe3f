package org.kvmosgi.diag.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kvmosgi.kernel.api.Errno;

/**
 * Answers "why" from a {@link Snapshot}: why a module is (not) live, why a device is
 * (not) there, why KVM_CREATE_VM fails. Each answer is a tree of {@link Finding}s whose
 * leaves are root causes read from the kernel's own records (load history, dmesg of the
 * attempt, kmemleak), never guessed.
 */
public final class WhyAnalysis {
    private static final Pattern UNKNOWN_SYMBOL = Pattern.compile("(\\S+): Unknown symbol (\\S+) \\(err (-?\\d+)\\)");
    private static final Pattern GAVE_UP = Pattern.compile("(\\S+): gave up waiting for init of module (\\S+)\\.");
    /**
     * The unified PowerPC kvm's word that it loaded without one of its built-in
     * implementations (its init's message, KvmUnifiedModule.UNAVAILABLE).
     */
    private static final Pattern UNAVAILABLE = Pattern.compile(
            "kvm: Book3S (HV|PR) unavailable \\(error (-?\\d+)\\), running (HV|PR) only");

    private final Snapshot s;

    public WhyAnalysis(Snapshot snapshot) {
        this.s = snapshot;
    }

    /** "-ENOMEM (Cannot allocate memory)" for -12. */
    public static String errno(int ret) {
        Errno e = Errno.of(ret);
        return (e == null ? Integer.toString(ret) : "-" + e.name()) + " (" + Errno.strerror(ret) + ")";
    }

    // ------------------------------------------------------------------ modules

    public Finding module(String name) {
        return module(Snapshot.modname(name), new HashSet<>());
    }

    /**
     * A module's answer as the cause of something else: "X is not loaded" over a single
     * reason says nothing its reason does not, so the reason stands alone.
     */
    private Finding asCause(String module) {
        Finding f = module(module);
        return f.causes().size() == 1 && f.evidence().isEmpty() ? f.causes().get(0) : f;
    }

    private Finding module(String n, Set<String> visiting) {
        visiting.add(n);
        Optional<Loaded> loaded = s.loaded(n);
        if (loaded.isPresent()) {
            return loadedModule(loaded.get(), visiting);
        }
        Optional<ModuleFile> file = s.file(n);
        if (file.isEmpty()) {
            return new Finding(n + " is not loaded", List.of(), List.of(Finding.fact(
                    "there is no module " + n + " in " + s.moduleDir(),
                    "modprobe: FATAL: Module " + n + " not found in directory " + s.moduleDir())));
        }
        Optional<Attempt> attempt = s.lastAttempt(n);
        if (attempt.isEmpty()) {
            List<String> ev = new ArrayList<>();
            List<Finding> causes = new ArrayList<>();
            List<String> deps = missingDependencies(file.get());
            for (String d : deps) {
                // modprobe stops at the first dependency that fails: its failure is the cause
                if (!visiting.contains(d) && s.lastAttempt(d).map(Attempt::failed).orElse(false)) {
                    causes.addAll(module(d, visiting).causes());
                }
            }
            for (String sym : file.get().imports()) {
                Optional<ModuleFile> exporter = s.exporterOf(sym);
                Finding gplOnly = exporter.isEmpty() ? null : gplOnly(n, sym, exporter.get());
                if (gplOnly != null) {
                    causes.add(gplOnly);
                }
            }
            if (!deps.isEmpty()) {
                ev.add("it needs, not live now: " + String.join(" ", deps));
            }
            ev.add("load it with: modprobe " + n);
            String summary = n + " has not been loaded since boot (" + file.get().path() + ")"
                    + (causes.isEmpty() ? "" : deps.isEmpty() ? ": its load would fail"
                            : ": modprobe stops at the first dependency that fails");
            return new Finding(n + " is not loaded", List.of(), List.of(new Finding(summary, ev, causes)));
        }
        Attempt a = attempt.get();
        if (!a.failed()) {
            return new Finding(n + " is not loaded", List.of(), List.of(Finding.fact(
                    n + " was loaded (its last load succeeded on host " + a.host() + ") and has been unloaded since")));
        }
        return new Finding(n + " is not loaded", List.of(), List.of(failedAttempt(a, visiting)));
    }

    private Finding loadedModule(Loaded l, Set<String> visiting) {
        String n = l.name();
        List<String> ev = new ArrayList<>();
        ev.add("refcount " + l.refcnt() + (l.holders().isEmpty() ? "" : ", used by: " + String.join(" ", l.holders()))
                + (l.permanent() ? ", permanent (no exit function)" : ""));
        List<Leak> leaks = s.leaksOf(n);
        if (!leaks.isEmpty()) {
            ev.add("kmemleak: an earlier load of " + n + " left " + leaks.size() + " object(s)");
        }
        switch (l.state()) {
            case "Live" -> {
                String use = !l.holders().isEmpty() ? ", in use by " + String.join(" ", l.holders())
                        : l.refcnt() > 0 ? ", held by " + l.refcnt() + " open file(s) or reference(s)" : "";
                return new Finding(n + " is live" + use, ev, List.of());
            }
            case "Loading" -> {
                List<Finding> waits = new ArrayList<>();
                Optional<ModuleFile> f = s.file(n);
                if (f.isPresent()) {
                    for (String sym : f.get().imports()) {
                        s.exporterOf(sym).filter(e -> s.loaded(e.name()).map(x -> x.state().equals("Loading"))
                                .orElse(false)).filter(e -> !visiting.contains(e.name())).ifPresent(e -> waits.add(
                                        Finding.fact("waiting for " + e.name() + ": it exports " + sym
                                                + " and its init is still running")));
                    }
                }
                return new Finding(n + " is loading: its init is running", ev, waits);
            }
            default -> {
                return new Finding(n + " is unloading (going): its exit is running", ev, List.of());
            }
        }
    }

    private Finding failedAttempt(Attempt a, Set<String> visiting) {
        String n = a.module();
        List<String> ev = new ArrayList<>();
        if (a.injected()) {
            ev.add("the failure was injected by fail_function (failfn status shows what is armed)");
        }
        a.messages().forEach(m -> ev.add("dmesg: " + m));
        for (Leak l : s.leaksOf(n)) {
            ev.add("kmemleak: left " + l.describe());
        }
        List<Finding> causes = new ArrayList<>();
        for (String m : a.messages()) {
            Matcher u = UNKNOWN_SYMBOL.matcher(m);
            if (u.find() && Snapshot.modname(u.group(1)).equals(n)) {
                causes.add(symbolCause(n, u.group(2), visiting));
            }
            Matcher g = GAVE_UP.matcher(m);
            if (g.find()) {
                causes.add(Finding.fact("it waited 30 s for " + g.group(2) + ", whose init did not finish"));
            }
            if (m.contains("Module " + n + " is blacklisted")) {
                causes.add(Finding.fact(n + " is blacklisted on the kernel command line (module_blacklist=)"));
            }
        }
        String point = a.injected() ? a.injectedPoint() : null;
        String where = point != null && !point.equals(a.step())
                ? " at " + point + (a.step() == null ? "" : " (in " + a.step() + ")")
                : a.step() == null ? "" : " at " + a.step();
        String summary = n + ": its last load failed with " + errno(a.ret()) + where + ", host " + a.host();
        return new Finding(summary, ev, causes);
    }

    /** Why an import did not resolve: nobody exports it, or its exporter is not live. */
    private Finding symbolCause(String n, String sym, Set<String> visiting) {
        Optional<ModuleFile> exporter = s.exporterOf(sym);
        if (exporter.isEmpty()) {
            return Finding.fact("no module in " + s.moduleDir() + " exports " + sym + ", which " + n + " imports");
        }
        String e = exporter.get().name();
        Finding gplOnly = gplOnly(n, sym, exporter.get());
        if (gplOnly != null) {
            return gplOnly;
        }
        if (s.live(e)) {
            return Finding.fact(sym + " comes from " + e + ", which is live now: the load should work today");
        }
        if (visiting.contains(e)) {
            return Finding.fact(sym + " comes from " + e + ", which needs " + n + " in turn (a dependency cycle)");
        }
        Finding dep = module(e, visiting);
        return new Finding(n + " imports " + sym + " from " + e + ", which was not live", List.of(), dep.causes());
    }

    /**
     * A GPL-only symbol a module whose license is not GPL-compatible imports: the kernel hides
     * it from that module (find_symbol without gplok), so the load fails with "Unknown symbol"
     * however often the exporter is loaded. Null when that is not the case.
     */
    private Finding gplOnly(String n, String sym, ModuleFile exporter) {
        Optional<ModuleFile> importer = s.file(n);
        if (importer.isEmpty() || importer.get().gplCompatible() || !exporter.gplExports().contains(sym)) {
            return null;
        }
        return Finding.fact(sym + " is exported GPL-only by " + exporter.name() + " (EXPORT_SYMBOL_GPL) and " + n
                + "'s license '" + importer.get().license() + "' is not GPL-compatible: the kernel does not let it link "
                + "(" + n + ": Unknown symbol " + sym + " (err -2)), however often " + exporter.name() + " is loaded");
    }

    private List<String> missingDependencies(ModuleFile f) {
        List<String> out = new ArrayList<>();
        for (String sym : f.imports()) {
            s.exporterOf(sym).map(ModuleFile::name).filter(e -> !s.live(e) && !out.contains(e)).ifPresent(out::add);
        }
        return out;
    }

    // ------------------------------------------------------------------ devices

    public Finding device(String dev) {
        String name = dev.startsWith("/dev/") ? dev.substring(5) : dev;
        boolean present = s.devices().contains(name);
        if (!name.equals("kvm")) {
            if (present) {
                return Finding.fact("/dev/" + name + " is present");
            }
            List<Finding> causes = new ArrayList<>();
            for (Attempt a : s.history().values()) {
                if (a.failed()) {
                    causes.add(failedAttempt(a, new HashSet<>()));
                }
            }
            String summary = "/dev/" + name + " is absent: no loaded module registered it"
                    + (causes.isEmpty() ? "" : "; the loads that failed since boot follow");
            return new Finding(summary, List.of(), causes);
        }
        KvmLayout layout = KvmLayout.detect(s.files());
        if (present) {
            List<String> live = layout.implementations().stream().filter(s::live).toList();
            String by = layout.kind() == KvmLayout.Kind.X86 ? live.isEmpty() ? ", yet no vendor module is live"
                    : ", registered through kvm by " + String.join(" and ", live)
                    : layout.kind() == KvmLayout.Kind.NONE ? "" : ", registered by kvm";
            return Finding.fact("/dev/kvm is present" + by);
        }
        switch (layout.kind()) {
            case NONE:
                return Finding.fact("/dev/kvm is absent: there is no KVM module in " + s.moduleDir(),
                        "this feature ships none; boot with --feature kvm-x86 or --feature kvm-ppc");
            case X86: {
                List<Finding> causes = new ArrayList<>();
                for (String v : KvmLayout.X86_VENDORS) {
                    causes.add(s.file(v).isPresent() ? asCause(v) : Finding.fact("there is no " + v + " in "
                            + s.moduleDir()));
                }
                return new Finding("/dev/kvm is absent: no vendor module (kvm_intel, kvm_amd) is live; the vendor "
                        + "registers it through kvm at the end of its init", List.of(), causes);
            }
            default:
                return new Finding("/dev/kvm is absent: kvm is not live (kvm registers /dev/kvm at its own init)",
                        List.of(), List.of(asCause(KvmLayout.CORE)));
        }
    }

    // ------------------------------------------------------------------ VM creation

    /**
     * Why KVM_CREATE_VM of {@code type} fails (or works).
     *
     * @param observed what the probe returned: 0 for success, -errno, or null when not tried
     */
    public Finding vm(long type, Integer observed) {
        String call = "KVM_CREATE_VM(" + type + ")";
        List<String> ev = new ArrayList<>();
        if (observed != null) {
            ev.add("observed: " + call + (observed == 0 ? " succeeded" : " = " + errno(observed)));
        }
        if (!s.devices().contains("kvm")) {
            return new Finding(call + " cannot be made: /dev/kvm is absent", ev, List.of(device("kvm")));
        }
        KvmLayout layout = KvmLayout.detect(s.files());
        List<String> impls = layout.vmImplementations(type);
        List<String> live = impls.stream().filter(s::live).toList();
        if (layout.kind() == KvmLayout.Kind.NONE) {
            return new Finding(call + ": /dev/kvm belongs to no known KVM layout", ev, List.of());
        }
        if (impls.isEmpty()) {
            return new Finding(call + " fails with -EINVAL: VM type " + type + " is unknown to this layout ("
                    + layout.kind() + ")", ev, List.of());
        }
        Finding without = layout.kind() == KvmLayout.Kind.PPC_UNIFIED && !live.isEmpty()
                ? unifiedWithout(type, observed, call, ev) : null;
        if (without != null) {
            return without;
        }
        if (!live.isEmpty()) {
            boolean contradicts = observed != null && observed != 0;
            if (contradicts) {
                ev.add("this contradicts the layout: " + String.join(" and ", live) + " is live");
            }
            return new Finding(call + (contradicts ? " failed although it should work: " : " works: ")
                    + String.join(" and ", live) + " is live", ev, List.of());
        }
        List<Finding> causes = new ArrayList<>();
        for (String i : impls) {
            causes.add(s.file(i).isPresent() ? asCause(i) : Finding.fact("there is no " + i + " in " + s.moduleDir()));
        }
        String summary = switch (layout.kind()) {
            case PPC_SPLIT -> call + " fails with -EINVAL: no " + (type == 0 ? "HV or PR" : type == 1 ? "HV" : "PR")
                    + " implementation is loaded (kvm is live alone: " + String.join(", ", impls) + " not live)";
            case X86 -> call + " fails: no vendor module is live, yet /dev/kvm is present";
            default -> call + " fails: kvm is not live";
        };
        if (observed != null && observed == 0) {
            ev.add("this contradicts the layout: the VM was created with no implementation live");
        }
        return new Finding(summary, ev, causes);
    }

    /**
     * The unified kvm is live, but did its load start the implementation {@code type} asks
     * for? Its init goes on when one of HV and PR fails and the other works, and says so
     * ({@link #UNAVAILABLE}) in the load's messages: then a VM of the failed one's type
     * fails with -EINVAL, and its failure (injected or not) is the cause. Null when the load
     * runs that type's implementation (type 0 takes whichever runs).
     */
    private Finding unifiedWithout(long type, Integer observed, String call, List<String> ev) {
        String wanted = type == KvmLayout.PPC_HV ? "HV" : type == KvmLayout.PPC_PR ? "PR" : null;
        Attempt load = s.lastAttempt(KvmLayout.CORE).filter(a -> !a.failed()).orElse(null);
        if (wanted == null || load == null) {
            return null;
        }
        for (String m : load.messages()) {
            Matcher u = UNAVAILABLE.matcher(m);
            if (u.find() && u.group(1).equals(wanted)) {
                int err = Integer.parseInt(u.group(2));
                ev.add("dmesg: " + m.trim());
                if (observed != null && observed == 0) {
                    ev.add("this contradicts the layout: kvm said its " + wanted + " is unavailable, yet the VM was "
                            + "created");
                }
                String point = load.injected() ? load.injectedPoint() : null;
                List<Finding> causes = List.of(Finding.fact(point != null
                        ? "fail_function forced " + point + " to fail during kvm's load, host " + load.host()
                                + " (failfn status shows what is armed)"
                        : "its " + wanted + " init failed with " + errno(err) + " on host " + load.host()));
                return new Finding(call + " fails with -EINVAL: kvm is live without its built-in " + wanted + " ("
                        + errno(err) + " at its load; the unified kvm loads when one of HV and PR works, and "
                        + u.group(3) + " did)", ev, causes);
            }
        }
        return null;
    }
}
