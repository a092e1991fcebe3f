package org.kvmosgi.console.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.felix.service.command.Function;
import org.kvmosgi.console.api.CommandFailure;

/**
 * Which of Gogo's and Felix's commands the sealed shell keeps. Kept: those that compute
 * ({@code echo}, {@code format}, {@code each}, {@code if} ...), control jobs, or manage the
 * framework's bundles by id ({@code lb}, {@code start}, {@code stop}, {@code refresh},
 * {@code update}, {@code uninstall} ...). Refused with one line saying why and what to use:
 * those that read or write the host's files or URLs ({@code cat}, {@code ls}, {@code cd},
 * {@code tac}, {@code source}, {@code nano}, {@code felix:install}, {@code start URL},
 * {@code update ID URL}), create any Java object ({@code new}), or need gosh's line editor
 * ({@code history}, {@code keymap} ...). The model's own commands are not Gogo's and pass.
 */
final class Sealing {
    /** The bundles whose commands this table governs. */
    static final String GOGO_BUNDLES = "org.apache.felix.gogo.";

    private static final Set<String> KEPT = Set.of(
            "gogo:echo", "gogo:format", "gogo:getopt", "gogo:set", "gogo:type", "gogo:jobs", "gogo:fg", "gogo:bg",
            "gogo:each", "gogo:if", "gogo:not", "gogo:throw", "gogo:try", "gogo:until", "gogo:while", "gogo:break",
            "gogo:continue", "gogo:sleep", "gogo:date", "gogo:clear", "gogo:help",
            "felix:bundlelevel", "felix:frameworklevel", "felix:headers", "felix:help", "felix:lb", "felix:log",
            "felix:refresh", "felix:resolve", "felix:stop", "felix:uninstall", "felix:which", "felix:inspect");

    /** Commands kept with their host-reaching arguments refused: felix:start installs a URL it is given. */
    private static final Set<String> BY_ID_ONLY = Set.of("felix:start", "felix:update");

    /** felix:start's and felix:update's options; any other word is a bundle id or a location. */
    private static final Set<String> OPTIONS = Set.of("-t", "--transient", "-p", "--policy");

    private static final String HOST_FILES = "reads the host's files, not the model's";
    private static final Map<String, String> WHY = Map.ofEntries(
            Map.entry("gogo:new", "creates any Java object"),
            Map.entry("gogo:tac", "writes the host's files"),
            Map.entry("gogo:nano", "writes the host's files"),
            Map.entry("gogo:cat", HOST_FILES + "; cat reads the model's"),
            Map.entry("gogo:ls", HOST_FILES + "; ls lists the model's"),
            Map.entry("felix:ls", HOST_FILES + "; ls lists the model's"),
            Map.entry("gogo:cd", "moves onto the host's file system; the model's working directory is /"),
            Map.entry("felix:cd", "moves onto the host's file system; the model's working directory is /"),
            Map.entry("gogo:pwd", "names the host's working directory; the model's is /"),
            Map.entry("gogo:less", HOST_FILES),
            Map.entry("gogo:head", HOST_FILES + "; head reads the model's"),
            Map.entry("gogo:tail", HOST_FILES + "; tail reads the model's"),
            Map.entry("gogo:grep", HOST_FILES + "; grep reads the model's"),
            Map.entry("gogo:sort", HOST_FILES + "; sort reads the model's"),
            Map.entry("gogo:wc", HOST_FILES + "; wc reads the model's"),
            Map.entry("gogo:watch", "runs commands on the host's terminal"),
            Map.entry("gogo:source", "runs a script from the host's files or any URL; source runs one of the model's"),
            Map.entry("gogo:sh", "runs a script from the host's files or any URL"),
            Map.entry("gogo:gosh", "runs a script from the host's files or any URL"),
            Map.entry("felix:install", "installs from any URL; install takes modules from /lib/modules"));

    private Sealing() {
    }

    /** {@code command} as the sealed shell offers {@code scope:name}: itself, guarded, or a refusal. */
    static Function admit(String scope, String name, Function command) {
        String key = scope + ":" + name;
        if (KEPT.contains(key)) {
            return command;
        }
        if (BY_ID_ONLY.contains(key)) {
            return (session, args) -> {
                checkById(key, args);
                return command.execute(session, args);
            };
        }
        String why = WHY.getOrDefault(key, name.startsWith("__") ? "is gosh's completion helper"
                : "needs gosh's own line editor, which kvmsh does not run");
        return (session, args) -> {
            throw refusal(key, why);
        };
    }

    static CommandFailure refusal(String key, String why) {
        return new CommandFailure("kvmsh: " + key + ": not in the sealed shell: " + why
                + " (./kvmsh --unsealed gives Gogo's own)", 126);
    }

    /** felix:start ID..., felix:update ID: bundle ids, never a location to install from. */
    private static void checkById(String key, List<Object> args) {
        int operands = 0;
        for (Object a : args) {
            String s = String.valueOf(a);
            if (OPTIONS.contains(s)) {
                continue;
            }
            operands++;
            boolean isId = !s.isEmpty() && s.chars().allMatch(Character::isDigit);
            if (!isId || key.equals("felix:update") && operands > 1) {
                throw refusal(key, "takes '" + s + "' for a location on the host; give bundle ids, and install "
                        + "modules from /lib/modules");
            }
        }
    }
}
