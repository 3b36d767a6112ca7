package layer45.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The runtime as {@code ./layer45 start} runs it, in its own process, with a console an operator types into.
 * Standard output (the shell) and standard error (the log) are read separately; the transcript interleaves
 * them as they arrive, with what was typed, and is appended to a file when the console closes. Shared by the
 * integration tests that start the runnable jar ({@link LaunchIT}, {@link RelayedProgramsIT}).
 */
final class RuntimeConsole implements AutoCloseable {

    /** How long the runtime gets to start, answer a command, or stop. */
    static final long TIMEOUT_SECONDS = 60;
    /** A log record, in the format ./layer45 start sets: date, time, level, logger, message. */
    private static final Pattern LOG_RECORD = Pattern.compile(
            "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d (SEVERE|WARNING|INFO|CONFIG|FINE|FINER|FINEST) .*");

    private final Process process;
    private final String namespace;
    private final Path controlSocket;
    private final Path transcriptFile;
    private final OutputStream stdin;
    private final StringBuilder out = new StringBuilder();
    private final StringBuilder err = new StringBuilder();
    private final StringBuilder transcript = new StringBuilder();
    private final List<Thread> readers = new ArrayList<>();
    /** Where the output of the next command starts in {@link #out}. */
    private int consumed;
    private int commands;

    private RuntimeConsole(Process process, String namespace, Path controlSocket, Path transcriptFile) {
        this.process = process;
        this.namespace = namespace;
        this.controlSocket = controlSocket;
        this.transcriptFile = transcriptFile;
        this.stdin = process.getOutputStream();
        readers.add(read(process.getInputStream(), out, ""));
        readers.add(read(process.getErrorStream(), err, "[log] "));
    }

    /**
     * Starts the runtime like {@code ./layer45 start} and waits for its shell.
     *
     * @param name what the session is, for the transcript
     * @param transcriptFile where the transcript is appended when the console closes
     * @param jar the runnable jar, {@code cnf/target/layer45.jar} of the checkout
     * @param work the working directory, which is also {@code layer45.home}
     * @param autoload the autoload folder
     * @param properties system properties for the runtime, {@code key=value}
     */
    static RuntimeConsole start(String name, Path transcriptFile, Path jar, Path work, Path autoload,
            String... properties) throws IOException, InterruptedException {
        return start(List.of(), name, transcriptFile, jar, work, autoload, properties);
    }

    /**
     * Starts the runtime like {@code ./layer45 start}, through a prefix, and waits for its shell.
     *
     * @param prefix what runs the JVM, such as {@code ip netns exec NAME} to give the runtime a network namespace
     *        (and so a host loopback) of its own; empty to run it directly
     * @param name what the session is, for the transcript
     * @param transcriptFile where the transcript is appended when the console closes
     * @param jar the runnable jar, {@code cnf/target/layer45.jar} of the checkout
     * @param work the working directory, which is also {@code layer45.home}
     * @param autoload the autoload folder
     * @param properties system properties for the runtime, {@code key=value}
     */
    static RuntimeConsole start(List<String> prefix, String name, Path transcriptFile, Path jar, Path work,
            Path autoload, String... properties) throws IOException, InterruptedException {
        Path root = jar.toAbsolutePath().normalize().getParent().getParent().getParent();
        List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(scriptFlags(root.resolve("scripts/java.sh")));
        command.add("-Dlayer45.home=" + work);
        command.add("-Dlayer45.config=" + root.resolve("conf").resolve("layer45.conf"));
        command.add("-Dlayer45.autoload.dir=" + autoload);
        command.add("-Dorg.osgi.framework.storage=" + work.resolve("layer45-cache"));
        String namespace = TestNetns.name(name);
        command.add("-Dlayer45.net.netns=" + namespace);
        // never the system's /run/layer45/layer45.sock: tests run as root, beside other runtimes
        Path controlSocket = work.resolve("control").resolve("layer45.sock");
        command.add("-Dlayer45.control.socket=" + controlSocket);
        for (String property : properties) {
            command.add("-D" + property);
        }
        command.add("-jar");
        command.add(jar.toAbsolutePath().normalize().toString());
        RuntimeConsole console = new RuntimeConsole(new ProcessBuilder(command).directory(work.toFile()).start(),
                namespace, controlSocket, transcriptFile);
        console.transcript.append("=== ").append(name).append(", ").append(Instant.now()).append('\n');
        console.transcript.append("$ ").append(String.join(" ", command)).append('\n');
        try {
            console.awaitOutput("Welcome to Apache Felix Gogo");
            console.await(() -> console.err().contains("layer45 runtime started"), "the runtime to start");
            console.await(() -> console.err().contains("layer45: network stack "),
                    "the network stack to start, or say why not");
            console.run("echo ready"); // the shell reads commands: start counting output here
        } catch (Throwable t) {
            console.close();
            throw t;
        }
        return console;
    }

    /**
     * The JVM flags {@code ./layer45 start} passes, read from the {@code runtime_flags} function of
     * {@code scripts/java.sh} (shared with the installed launcher), so this test starts the runtime as the script
     * does even when the flags change.
     */
    static List<String> scriptFlags(Path script) throws IOException {
        List<String> lines = Files.readAllLines(script);
        int start = lines.indexOf("runtime_flags() {");
        assertTrue(start >= 0, "the script " + script + " has a runtime_flags function");
        List<String> flags = new ArrayList<>();
        for (String line : lines.subList(start + 2, lines.size())) { // after "printf '%s\n' \"
            String flag = line.strip();
            if (flag.equals("}")) {
                break;
            }
            flag = flag.endsWith("\\") ? flag.substring(0, flag.length() - 1).strip() : flag;
            if (flag.startsWith("'") && flag.endsWith("'")) {
                flag = flag.substring(1, flag.length() - 1);
            }
            flags.add(flag);
        }
        assertTrue(flags.contains("--enable-native-access=ALL-UNNAMED"), "read the flags: " + flags);
        return flags;
    }

    private Thread read(InputStream stream, StringBuilder into, String prefix) {
        return Thread.ofPlatform().daemon().start(() -> {
            try (Reader in = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
                char[] buffer = new char[8192];
                boolean lineStart = true;
                for (int n; (n = in.read(buffer)) > 0;) {
                    synchronized (this) {
                        into.append(buffer, 0, n);
                        for (int i = 0; i < n; i++) {
                            if (lineStart && !prefix.isEmpty()) {
                                transcript.append(prefix);
                            }
                            transcript.append(buffer[i]);
                            lineStart = buffer[i] == '\n';
                        }
                        notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        });
    }

    synchronized String out() {
        return out.toString();
    }

    synchronized String err() {
        return err.toString();
    }

    synchronized String transcript() {
        return transcript.toString();
    }

    /** Types a line. */
    void send(String line) throws IOException {
        synchronized (this) {
            transcript.append(line).append('\n');
        }
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    /** Ctrl-D: the end of the console's input. */
    void closeInput() throws IOException {
        synchronized (this) {
            transcript.append("^D\n");
        }
        stdin.close();
    }

    /**
     * Types a command and waits for its output.
     *
     * @param command a command line
     * @return what the shell printed for it, prompts left out, without the final line break
     */
    String run(String command) throws IOException, InterruptedException {
        String marker = "==done-" + ++commands + "==";
        send(command);
        stdin.write(("echo '" + marker + "'\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
        await(() -> {
            int at = out().indexOf(marker, consumed);
            return at >= 0 && out().indexOf("\n", at) >= 0;
        }, "the output of '" + command + "'");
        String all = out();
        int at = all.indexOf(marker, consumed);
        String output = all.substring(consumed, at);
        consumed = all.indexOf('\n', at) + 1;
        // Gogo sends what the command's thread writes to System.err to the console too, log records included:
        // they are in the transcript, but not part of the command's output.
        return output.replaceAll("(?m)^(g! )+", "").lines().filter(line -> !LOG_RECORD.matcher(line).matches())
                .collect(Collectors.joining("\n")).replaceAll("\\s+$", "");
    }

    /**
     * Runs a command again and again, until its output passes a check.
     *
     * @return the output that passed, as a table
     */
    GogoSession.Table runUntil(String command, Predicate<String> check,
            String... rightAligned) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            String output = run(command);
            if (check.test(output)) {
                return GogoSession.Table.parse(output, rightAligned);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("'" + command + "' did not show what was expected within "
                        + TIMEOUT_SECONDS + " s; transcript:\n" + transcript());
            }
            Thread.sleep(200);
        }
    }

    void awaitOutput(String text) throws InterruptedException {
        await(() -> out().contains(text), "'" + text + "'");
    }

    void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        synchronized (this) {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !process.isAlive() && !condition.getAsBoolean()) {
                    // a process that ended may still have output in the pipes: give the readers a moment
                    if (left > 0 && readers.stream().anyMatch(Thread::isAlive)) {
                        wait(50);
                        continue;
                    }
                    throw new AssertionError("gave up waiting for " + what + " after " + TIMEOUT_SECONDS
                            + " s (process " + (process.isAlive() ? "running" : "ended with "
                            + process.exitValue()) + "); transcript:\n" + transcript);
                }
                wait(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, 200));
            }
        }
    }

    /** @return the exit code, once the process ended and its output was read */
    int awaitExit() throws InterruptedException {
        assertTrue(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "the process ended within "
                + TIMEOUT_SECONDS + " s; transcript:\n" + transcript());
        for (Thread reader : readers) {
            reader.join(10_000);
        }
        return process.exitValue();
    }

    /** Sends the runtime SIGTERM, as {@code kill PID} or a service manager does. */
    void terminate() {
        process.destroy();
    }

    /** The shell and the runtime said goodbye, and nothing went wrong on the way. */
    void assertStoppedCleanly() {
        String all = transcript();
        assertTrue(out().contains("gosh: stopping framework"), all);
        assertTrue(err().contains("INFO    layer45.runtime: layer45 runtime stopped"), all);
        for (String line : all.lines().toList()) {
            assertFalse(line.matches("(g! )*\\S+ \\S+ SEVERE .*") || line.startsWith("\tat ")
                    || line.contains("Exception in thread"), "a clean log: " + line + "\n" + all);
        }
    }

    /**
     * Stops the runtime as an operator does ({@code stop 0}) and checks that it stopped cleanly and deleted its
     * namespace.
     */
    void stopCleanly() throws IOException, InterruptedException {
        send("stop 0");
        // bnd's launcher reports a framework stopped on request as STOPPED (117)
        assertEquals(117, awaitExit(), transcript());
        assertStoppedCleanly();
        assertFalse(TestNetns.exists(namespace), "the runtime deleted its namespace " + namespace);
    }

    /** @return the network namespace the runtime's stack runs in (its own, named for this test) */
    String namespace() {
        return namespace;
    }

    /** @return the runtime's control socket, private to the test, for the client's {@code --socket} */
    Path controlSocket() {
        return controlSocket;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            Files.writeString(transcriptFile, transcript() + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            TestNetns.deleteIfLeft(namespace);
        }
    }
}
