package layer45.deb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The installed daemon, started as layer45.service's ExecStart starts it ({@code ROOT/usr/bin/layer45 daemon}),
 * in the background, on a control socket of the test's own, with its log in a file; driven with
 * {@code ROOT/usr/bin/layer45 ...}.
 */
final class Daemon implements AutoCloseable {

    private final Path root;
    private final Path socket;
    private final Path log;
    private Process process;

    /**
     * @param root the installed layout's root: / or a scratch root
     * @param socket the control socket, unique to the test
     * @param log where its output goes (appended)
     */
    Daemon(Path root, Path socket, Path log) {
        this.root = root;
        this.socket = socket;
        this.log = log;
    }

    /** Starts it and waits until it answers on its socket (and its autoload folder was scanned once). */
    Daemon start() throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(launcher(), "daemon")
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).redirectErrorStream(true);
        builder.environment().put("LAYER45_SOCKET", socket.toString());
        process = builder.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!log().contains("layer45 autoload: watching")) {
            assertTrue(process.isAlive(), "the daemon ended at start:\n" + log());
            assertTrue(System.nanoTime() < deadline, "the daemon did not start within 60 s:\n" + log());
            Thread.sleep(200);
        }
        return this;
    }

    /** @return the launcher, /usr/bin/layer45 of the layout */
    String launcher() {
        return root.resolve("usr/bin/layer45").toString();
    }

    /**
     * Runs the client: {@code layer45 ARGS}, on this daemon's socket.
     *
     * @param input its standard input
     * @param args its arguments
     * @return what it did
     */
    Command client(String input, String... args) {
        String[] command = new String[args.length + 1];
        command[0] = launcher();
        System.arraycopy(args, 0, command, 1, args.length);
        return Command.run(Map.of("LAYER45_SOCKET", socket.toString()), input, command);
    }

    /** Waits until lsmod lists a module (the autoload folder loads within about a second). */
    void awaitModule(String name) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!client("", "lsmod").out().contains(name)) {
            assertTrue(System.nanoTime() < deadline, name + " was not loaded within 30 s:\n" + log());
            Thread.sleep(250);
        }
    }

    /**
     * Stops it as systemd does (SIGTERM to the launcher) and checks it exits 0 within a limit.
     *
     * @param limit how long it may take
     * @return how long it took
     */
    Duration stop(Duration limit) throws InterruptedException {
        long start = System.nanoTime();
        process.destroy(); // SIGTERM
        assertTrue(process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS),
                "the daemon did not stop within " + limit + ":\n" + log());
        assertEquals(0, process.exitValue(), "a graceful stop exits 0:\n" + log());
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** @return its log so far */
    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** Kills it if it still runs (a failed test): the launcher and the JVM it started. */
    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
