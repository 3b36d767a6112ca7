package layer45.itest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import layer45.cli.ControlClient;

/**
 * The command-line client ({@code layer45.cli.Main}) run as a process of its own, as {@code ./layer45 exec} runs it,
 * with what it printed and its exit status.
 *
 * @param status the exit status
 * @param out what it printed on standard output
 * @param err what it printed on standard error
 */
record CliProcess(int status, String out, String err) {

    private static final long TIMEOUT_SECONDS = 60;

    /**
     * @param prefix what runs the JVM, such as {@code setpriv} and its options; empty to run it directly
     * @param args the client's arguments
     * @return what it did
     */
    static CliProcess run(List<String> prefix, String... args) throws IOException, InterruptedException {
        return run(prefix, classPath(), args);
    }

    /**
     * @param prefix what runs the JVM
     * @param classPath where the client's classes are
     * @param args the client's arguments
     * @return what it did
     */
    static CliProcess run(List<String> prefix, Path classPath, String... args)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("layer45-cli", ".out");
        Path err = Files.createTempFile("layer45-cli", ".err");
        try {
            return finish(start(prefix, classPath, out, err, args), out, err);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * Starts the client, its input empty (no terminal), its outputs into files.
     *
     * @param prefix what runs the JVM
     * @param classPath where the client's classes are
     * @param out receives its standard output
     * @param err receives its standard error
     * @param args the client's arguments
     * @return the running client
     */
    static Process start(List<String> prefix, Path classPath, Path out, Path err, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-cp", classPath.toString(), "layer45.cli.Main"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
    }

    /**
     * Waits for a client started with {@link #start} (at most a minute, then kills it).
     *
     * @param process the client
     * @param out its standard output's file
     * @param err its standard error's file
     * @return what it did
     */
    static CliProcess finish(Process process, Path out, Path err) throws IOException, InterruptedException {
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(process.info().commandLine().orElse("the client") + " did not end within "
                    + TIMEOUT_SECONDS + " s; it printed: " + Files.readString(out) + Files.readString(err));
        }
        return new CliProcess(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** @return the client's classes, as the test's class path has them (a jar, or a classes folder) */
    static Path classPath() {
        try {
            return Path.of(ControlClient.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("cannot find the client's classes: " + e, e);
        }
    }
}
