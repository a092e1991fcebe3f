package org.kvmosgi.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kvmosgi.kernel.api.modinfo.ModuleInfo;
import org.osgi.service.feature.Feature;
import org.osgi.service.feature.FeatureArtifact;
import org.osgi.service.feature.FeatureExtension;

/**
 * modpost's duplicate export check (scripts/mod/modpost.c, sym_add_exported) over one
 * layout: the kernel image's exports (its built-in modules) first, then every loadable
 * module in the feature's order, each export recorded with its first exporter. Since
 * 5.19 a second export of a symbol is an error that fails the build:
 * {@code ERROR: modpost: MODULE: 'SYM' exported twice. Previous export was in PREV.ko}
 * (PREV is {@code vmlinux}, without {@code .ko}, for the image).
 *
 * <p>A layout chooses how duplicates are judged in its TEXT extension
 * {@value #EXTENSION}, one directive a line ({@code #} starts a comment):
 * <ul>
 * <li>{@code rule strict}: every second export is an error (Linux 5.19+, the default);
 * <li>{@code rule yamada}: only a second export of a symbol the image exports is an error;
 *     a module exporting what another module exports fails at load instead (Masahiro
 *     Yamada's reply in the KVM-monolithic thread);
 * <li>{@code allow SYMBOL}: the symbol may be exported by several modules (Andrea
 *     Arcangeli's allow-list); a duplicate of the image's export stays an error.
 * </ul>
 */
public final class Modpost {
    /** The feature extension configuring the check. */
    public static final String EXTENSION = "kvmosgi-modpost";

    /** The two ways to judge a second export, and the kernel's own. */
    public enum Rule {
        STRICT, YAMADA
    }

    /** A layout's configuration: its rule and Arcangeli's allow-list. */
    public record Config(Rule rule, Set<String> allowed) {
        public static final Config STRICT = new Config(Rule.STRICT, Set.of());

        /** Parses the extension's lines; an IOException says which line is wrong. */
        public static Config parse(String feature, List<String> lines) throws IOException {
            Rule rule = Rule.STRICT;
            Set<String> allowed = new LinkedHashSet<>();
            for (String raw : lines) {
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] w = line.split("\\s+");
                if (w.length == 2 && w[0].equals("rule") && w[1].equals("strict")) {
                    rule = Rule.STRICT;
                } else if (w.length == 2 && w[0].equals("rule") && w[1].equals("yamada")) {
                    rule = Rule.YAMADA;
                } else if (w.length == 2 && w[0].equals("allow")) {
                    allowed.add(w[1]);
                } else {
                    throw new IOException("feature " + feature + ": " + EXTENSION + ": cannot understand '" + line
                            + "' (rule strict|yamada, allow SYMBOL)");
                }
            }
            return new Config(rule, Set.copyOf(allowed));
        }
    }

    /** A module as modpost sees it: its kbuild name (path without .ko), built in or not, its exports. */
    public record Module(String path, boolean builtin, List<String> exports) {}

    private Modpost() {}

    /**
     * Checks one layout; returns the error lines (without the "ERROR: modpost: " prefix),
     * in modpost's order: image first, then the modules in order.
     */
    public static List<String> check(List<Module> modules, Config config) {
        Map<String, Module> owner = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        List<Module> ordered = new ArrayList<>();
        modules.stream().filter(Module::builtin).forEach(ordered::add);
        modules.stream().filter(m -> !m.builtin()).forEach(ordered::add);
        for (Module m : ordered) {
            String name = m.builtin() ? "vmlinux" : m.path();
            for (String sym : m.exports()) {
                Module prev = owner.get(sym);
                if (prev == null) {
                    owner.put(sym, m);
                    continue;
                }
                boolean fromImage = prev.builtin();
                boolean reported = fromImage
                        || (config.rule() == Rule.STRICT && !config.allowed().contains(sym));
                if (reported) {
                    errors.add(name + ": '" + sym + "' exported twice. Previous export was in "
                            + (fromImage ? "vmlinux" : prev.path() + ".ko"));
                }
            }
        }
        return errors;
    }

    /** The layout's modules, in the feature's order, read from the distribution. */
    public static List<Module> modules(Path distribution, String featureName, Feature feature) throws IOException {
        List<Module> out = new ArrayList<>();
        FeatureExtension set = feature.getExtensions().get(RootFs.MODULES_EXTENSION);
        if (set == null || set.getType() != FeatureExtension.Type.ARTIFACTS) {
            return out;
        }
        for (FeatureArtifact a : set.getArtifacts()) {
            Path file = RootFs.repositoryPath(distribution.resolve("system"), a.getID());
            Object rel = a.getMetadata().get(RootFs.FILE_METADATA);
            String path = rel == null ? a.getID().toString() : rel.toString();
            path = path.startsWith("kernel/") ? path.substring("kernel/".length()) : path;
            path = path.endsWith(".ko") ? path.substring(0, path.length() - 3) : path;
            List<String> exports = RootFs.module(file).exports().stream().map(ModuleInfo.Export::symbol).toList();
            out.add(new Module(path, RootFs.isBuiltin(a), exports));
        }
        return out;
    }

    /** The layout's configuration from its {@value #EXTENSION} extension. */
    public static Config config(String featureName, Feature feature) throws IOException {
        FeatureExtension ext = feature.getExtensions().get(EXTENSION);
        if (ext == null) {
            return Config.STRICT;
        }
        if (ext.getType() != FeatureExtension.Type.TEXT) {
            throw new IOException("feature " + featureName + ": extension " + EXTENSION + " must be text");
        }
        return Config.parse(featureName, ext.getText());
    }

    /**
     * Checks every layout (feature with modules) of a distribution; prints each error as
     * modpost does and returns the number of layouts that failed.
     */
    public static int checkAll(Path distribution, PrintStream out, PrintStream err) throws IOException {
        int failed = 0;
        for (String name : RootFs.availableFeatures(distribution)) {
            Feature feature = RootFs.readFeature(distribution, name);
            List<Module> modules = modules(distribution, name, feature);
            if (modules.isEmpty()) {
                continue;
            }
            Config config = config(name, feature);
            List<String> errors = check(modules, config);
            for (String e : errors) {
                err.println("ERROR: modpost: " + e);
            }
            if (!errors.isEmpty()) {
                err.println("modpost: layout " + name + ": " + errors.size() + " error(s); its feature's " + EXTENSION
                        + " text may pick a proposal: 'allow SYMBOL' lines or 'rule yamada' (bundles/kmod/README.md)");
                failed++;
            } else {
                out.println("modpost: layout " + name + ": " + modules.size() + " modules, rule "
                        + config.rule().name().toLowerCase(java.util.Locale.ROOT)
                        + (config.allowed().isEmpty() ? "" : ", allowed " + String.join(" ", config.allowed())));
            }
        }
        return failed;
    }

    /** {@code java org.kvmosgi.launcher.Modpost DISTRIBUTION}: exit 1 when a layout fails. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: Modpost DISTRIBUTION_DIR");
            System.exit(2);
        }
        int failed = checkAll(Path.of(args[0]), System.out, System.err);
        System.exit(failed == 0 ? 0 : 1);
    }
}
