package layer45.itest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * How a program run by a test ended: its exit code and what it printed. {@link #toString()} gives all of it, for
 * an assertion's message.
 */
record ProcessResult(int exitCode, String stdout, String stderr) {

    private static final long TIMEOUT_SECONDS = 60;

    /** Runs a program to its end, for at most a minute. */
    static ProcessResult run(String... command) throws IOException, InterruptedException {
        return run(TIMEOUT_SECONDS, command);
    }

    /**
     * Runs a program to its end.
     *
     * @param timeoutSeconds how long it may take; after that it is killed (with what it started) and the test fails
     */
    static ProcessResult run(long timeoutSeconds, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not end within " + timeoutSeconds + " s");
        }
        return new ProcessResult(process.exitValue(), out.join(), err.join());
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
