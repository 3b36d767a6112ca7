package layer45.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** Command lines from standard input as they come: a script's, or a terminal's without JLine. */
final class PlainLines implements LineSource {

    private final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    private final boolean prompted;

    /** @param prompted whether to print a prompt before each line (a terminal) */
    PlainLines(boolean prompted) {
        this.prompted = prompted;
    }

    @Override
    public String next() throws IOException {
        if (prompted) {
            System.out.print(PROMPT);
            System.out.flush();
        }
        return in.readLine();
    }

    @Override
    public boolean interactive() {
        return prompted;
    }

    @Override
    public void close() {
        // standard input stays open: it is the process's
    }
}
