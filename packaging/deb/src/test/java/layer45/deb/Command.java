package layer45.deb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A command the package tests run, with its output.
 *
 * @param status the exit status
 * @param out standard output
 * @param err standard error
 */
record Command(int status, String out, String err) {

    /**
     * Runs a command to its end (at most two minutes).
     *
     * @param environment variables added to the test's environment
     * @param input what its standard input reads ("" for nothing)
     * @param command the command and its arguments
     * @return what it did
     */
    static Command run(Map<String, String> environment, String input, String... command) {
        try {
            Path out = java.nio.file.Files.createTempFile("deb9-out", ".txt");
            Path err = java.nio.file.Files.createTempFile("deb9-err", ".txt");
            try {
                ProcessBuilder builder = new ProcessBuilder(List.of(command)).redirectOutput(out.toFile())
                        .redirectError(err.toFile());
                builder.environment().putAll(environment);
                Process process = builder.start();
                try (var stdin = process.getOutputStream()) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
                if (!process.waitFor(2, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new AssertionError(String.join(" ", command) + " did not end within two minutes");
                }
                return new Command(process.exitValue(), java.nio.file.Files.readString(out),
                        java.nio.file.Files.readString(err));
            } finally {
                java.nio.file.Files.deleteIfExists(out);
                java.nio.file.Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + String.join(" ", command), e);
        }
    }

    /** @see #run(Map, String, String...) */
    static Command run(String... command) {
        return run(Map.of(), "", command);
    }

    /**
     * @return this, if it succeeded
     * @throws AssertionError with its output, if not
     */
    Command ok() {
        if (status != 0) {
            throw new AssertionError("exit status " + status + "\nout: " + out + "\nerr: " + err);
        }
        return this;
    }
}
