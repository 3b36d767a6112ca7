package layer45.cli;

import java.io.IOException;
import java.nio.file.Path;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * Command lines typed on a terminal, with JLine's line editing and a history kept in {@code ~/.layer45_history}.
 * Ctrl-C drops the line being typed; Ctrl-D on an empty line ends the session.
 */
final class TerminalLines implements LineSource {

    private final Terminal terminal;
    private final LineReader reader;

    /** @throws IOException if the terminal cannot be opened */
    TerminalLines() throws IOException {
        this.terminal = TerminalBuilder.builder().system(true).build();
        this.reader = LineReaderBuilder.builder().terminal(terminal).appName("layer45")
                .variable(LineReader.HISTORY_FILE, Path.of(System.getProperty("user.home"), ".layer45_history"))
                .build();
    }

    @Override
    public String next() {
        while (true) {
            try {
                return reader.readLine(PROMPT);
            } catch (UserInterruptException e) {
                // Ctrl-C: drop the line, prompt again
            } catch (EndOfFileException e) {
                return null;
            }
        }
    }

    @Override
    public boolean interactive() {
        return true;
    }

    @Override
    public void close() throws IOException {
        terminal.close();
    }
}
