package layer45.cli;

import java.io.Closeable;
import java.io.Console;
import java.io.IOException;

/** Where {@code layer45 shell} reads its command lines: a terminal, with line editing, or plain standard input. */
interface LineSource extends Closeable {

    /** The prompt on a terminal, as the runtime's own console shows it. */
    String PROMPT = "g! ";

    /**
     * @return the next line, without its end; {@code null} at the end of input
     * @throws IOException if reading failed
     */
    String next() throws IOException;

    /** @return whether a person types the lines (a terminal), so the client greets them */
    boolean interactive();

    /**
     * @return JLine's line editor on a terminal when JLine is on the class path (the launchers put it there), else
     *         plain lines, prompted on a terminal
     * @throws IOException if the terminal cannot be opened
     */
    static LineSource open() throws IOException {
        Console console = System.console();
        boolean terminal = console != null && console.isTerminal();
        if (terminal && jlineAvailable()) {
            return new TerminalLines();
        }
        return new PlainLines(terminal);
    }

    /**
     * @return whether JLine is on the class path (the client runs without it, with plain lines); asked here, as
     *         {@link TerminalLines} cannot even be loaded without it
     */
    private static boolean jlineAvailable() {
        try {
            Class.forName("org.jline.reader.LineReaderBuilder", false, LineSource.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
