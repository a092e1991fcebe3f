package org.kvmosgi.console.internal;

import java.nio.file.Path;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;

/**
 * The interactive shell: JLine line editing, persistent history, TAB completion, a
 * {@value #PROMPT} prompt, and lines that continue while a brace or quote is open.
 * Ctrl-C drops the line being edited or interrupts the running command; Ctrl-D or
 * {@code exit} leaves.
 */
final class Interactive {
    static final String PROMPT = "kvmsh> ";

    private final Terminal terminal;
    private final Runner runner;
    private final LineReader reader;

    Interactive(Terminal terminal, Runner runner, Path history, Path root) {
        this.terminal = terminal;
        this.runner = runner;
        DefaultParser parser = new DefaultParser() {
            @Override
            public ParsedLine parse(String line, int cursor, ParseContext context) {
                if (context == ParseContext.ACCEPT_LINE && !Runner.complete(line)) {
                    throw new org.jline.reader.EOFError(-1, -1, "incomplete Gogo program", "more");
                }
                return super.parse(line, cursor, context);
            }
        };
        // Gogo, not JLine, interprets quotes and backslashes
        parser.setEscapeChars(new char[0]);
        LineReaderBuilder builder = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("kvmsh")
                .parser(parser)
                .completer(new Completion(runner.session(), root))
                .variable(LineReader.SECONDARY_PROMPT_PATTERN, "%M> ")
                // '!' is Gogo syntax, not a history reference
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.HISTORY_IGNORE_SPACE, true);
        if (history != null) {
            builder.variable(LineReader.HISTORY_FILE, history);
        }
        this.reader = builder.build();
    }

    int run() {
        while (true) {
            String line;
            try {
                line = reader.readLine(PROMPT);
            } catch (UserInterruptException e) {
                continue;
            } catch (EndOfFileException e) {
                return runner.lastStatus();
            }
            if (line == null) {
                return runner.lastStatus();
            }
            if (line.isBlank()) {
                continue;
            }
            // Ctrl-C interrupts the command's job (its pipeline threads), as gosh does; the
            // console thread then gets the job's result and prompts again
            Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, s -> runner.interrupt());
            try {
                runner.run(line);
            } catch (ExitRequest exit) {
                return exit.status();
            } finally {
                terminal.handle(Terminal.Signal.INT, previous);
                // an interrupt that came after the command ended must not hit the next one
                Thread.interrupted();
            }
        }
    }
}
