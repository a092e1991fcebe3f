package org.kvmosgi.console.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.felix.service.command.CommandSession;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * TAB completion: command names where a command starts (first word, after {@code |} or
 * {@code ;}), and otherwise absolute paths of the model's file system (below
 * {@code kvmosgi.root}), so that {@code insmod /lib/mo<TAB>} walks to a module file.
 */
final class Completion implements Completer {
    private final CommandSession session;
    private final Path root;

    Completion(CommandSession session, Path root) {
        this.session = session;
        this.root = root;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> words = line.words();
        int index = line.wordIndex();
        String previous = index > 0 ? words.get(index - 1) : null;
        if (index == 0 || "|".equals(previous) || ";".equals(previous) || previous != null && previous.endsWith(";")) {
            for (String name : commandNames()) {
                candidates.add(new Candidate(name));
            }
        } else if (line.word().startsWith("/") && root != null) {
            paths(line.word(), candidates);
        }
    }

    /** Every command as users type it: the plain name and the scoped {@code scope:name}. */
    Set<String> commandNames() {
        Set<String> names = new TreeSet<>();
        Object commands = session.get(".commands");
        if (commands instanceof Iterable) {
            for (Object c : (Iterable<?>) commands) {
                String scoped = String.valueOf(c);
                names.add(scoped);
                int colon = scoped.indexOf(':');
                String plain = colon >= 0 ? scoped.substring(colon + 1) : scoped;
                // Gogo jline's completion helpers start with "__": not for typing
                if (!plain.startsWith("__")) {
                    names.add(plain);
                }
            }
        }
        names.removeIf(n -> n.contains(":__"));
        return names;
    }

    private void paths(String word, List<Candidate> candidates) {
        int slash = word.lastIndexOf('/');
        String dir = word.substring(0, slash + 1);
        Path hostDir = root.resolve(dir.substring(1)).normalize();
        if (!hostDir.startsWith(root) || !Files.isDirectory(hostDir)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(hostDir)) {
            for (Path e : entries) {
                String name = e.getFileName().toString();
                if (name.startsWith(".kvmosgi")) {
                    continue;
                }
                boolean isDir = Files.isDirectory(e);
                String value = dir + name + (isDir ? "/" : "");
                candidates.add(new Candidate(value, name + (isDir ? "/" : ""), null, null, null, null, !isDir));
            }
        } catch (IOException e) {
            // an unreadable directory offers no completions, as in bash
        }
    }
}
