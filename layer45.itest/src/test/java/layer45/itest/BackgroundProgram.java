package layer45.itest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A program a test runs in the background: a server, or a client it holds open. It runs under {@code timeout(1)},
 * so it ends by itself even if the test's JVM dies; what it prints goes to files, for the test's assertions and
 * failure messages. {@link #close()} kills it and everything it started.
 */
final class BackgroundProgram implements AutoCloseable {

    /** How long the program has to end after SIGTERM when it is closed. */
    private static final long GRACE_SECONDS = 2;

    private final String label;
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private BackgroundProgram(String label, Process process, Path stdout, Path stderr) {
        this.label = label;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * @param label what it is, for messages
     * @param timeoutSeconds how long it may run at most
     * @param command the program and its arguments
     * @return the program, started
     */
    static BackgroundProgram start(String label, long timeoutSeconds, String... command) throws IOException {
        List<String> limited = new ArrayList<>(List.of("timeout", "--kill-after=5", Long.toString(timeoutSeconds)));
        limited.addAll(List.of(command));
        Path stdout = Files.createTempFile("layer45-it-out", ".txt");
        Path stderr = Files.createTempFile("layer45-it-err", ".txt");
        Process process = new ProcessBuilder(limited).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        return new BackgroundProgram(label + " (" + String.join(" ", command) + ")", process, stdout, stderr);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** @return what it printed so far, both streams, labelled, for a failure message */
    String output() {
        return label + (process.isAlive() ? " running" : " ended with " + process.exitValue()) + "\n--- stdout:\n"
                + read(stdout) + "--- stderr:\n" + read(stderr);
    }

    /**
     * Waits for the program to end by itself.
     *
     * @param seconds how long to wait
     * @return how it ended
     * @throws AssertionError if it still runs after that
     */
    ProcessResult awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError(label + " did not end within " + seconds + " s\n" + output());
        }
        return new ProcessResult(process.exitValue(), read(stdout), read(stderr));
    }

    /**
     * Ends the program as an operator would: SIGTERM, which timeout(1) passes on to it, and waits for it to end.
     *
     * @param seconds how long it may take to end
     * @return how it ended
     * @throws AssertionError if it still runs after that
     */
    ProcessResult stop(long seconds) throws InterruptedException {
        process.destroy();
        return awaitExit(seconds);
    }

    /**
     * Ends the program and what it started: SIGTERM first, so a client of the runtime ({@code exec}) can detach its
     * namespace; whatever still runs two seconds later is killed (timeout(1) first starts the program as its child).
     */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            List<ProcessHandle> descendants = process.descendants().toList();
            process.destroy();
            if (!process.waitFor(GRACE_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
            process.waitFor(10, TimeUnit.SECONDS);
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the output " + file + " of a test's program", e);
        }
    }
}
