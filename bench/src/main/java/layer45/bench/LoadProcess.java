package layer45.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The benchmarks' side of a load (or server) JVM: its command line, its output read line by line, the lines of its
 * small protocol ({@code ready}, {@code measuring}, {@code measured}, {@code result k=v ...}) awaited by a deadline.
 */
final class LoadProcess {

    /** The loads' JVM: small fixed heap, serial GC (nothing is allocated per byte or datagram). */
    static final List<String> JVM_FLAGS = List.of("-XX:+UseSerialGC", "-Xms64m", "-Xmx64m");
    /** How long past its warm-up and measurement a load may take to answer. */
    static final long SLACK_NANOS = TimeUnit.SECONDS.toNanos(30);

    private LoadProcess() {
    }

    /** @return {@code java} of this JVM, with {@link #JVM_FLAGS} and this class path, running {@code main ARGS} */
    static List<String> command(Class<?> main, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /** @return when a load that warms up and measures for these seconds must have answered */
    static long deadline(double warmup, double measure) {
        return System.nanoTime() + (long) ((warmup + measure) * 1e9) + SLACK_NANOS;
    }

    /**
     * Waits for the process's next line, which must start with {@code prefix}.
     *
     * @param what the measurement, first in the failure's message
     * @param from who should have written the line, in the message after the prefix ({@code ""} for none)
     */
    static String expect(BlockingQueue<String> lines, String prefix, long deadline, String what, String from)
            throws InterruptedException {
        String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == null || !line.startsWith(prefix)) {
            throw new IllegalStateException(what + ": expected '" + prefix.strip() + "'" + from + ", got "
                    + (line == null ? "nothing in time" : "'" + line + "'"));
        }
        return line;
    }

    /** Waits for the load to end by the deadline, and fails unless it ended well (its stderr tells why). */
    static void awaitSuccess(Process load, long deadline, String what, String who) throws InterruptedException {
        if (!load.waitFor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
                || load.exitValue() != 0) {
            throw new IllegalStateException(what + ": " + who + " failed (exit "
                    + (load.isAlive() ? "none, still running" : load.exitValue()) + "); see its output above");
        }
    }

    /** @return the {@code k=v} pairs of a {@code result} line, in their order */
    static Map<String, Long> parse(String result) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (String pair : result.substring("result ".length()).trim().split("\\s+")) {
            int equals = pair.indexOf('=');
            values.put(pair.substring(0, equals), Long.parseLong(pair.substring(equals + 1)));
        }
        return values;
    }

    /** @return the process's standard output, line by line; {@code <eof>} at the end */
    static BlockingQueue<String> lines(InputStream stdout) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stdout, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process was killed
            }
            lines.add("<eof>");
        });
        return lines;
    }

    /** Copies the process's standard error to ours, each line after {@code prefix}. */
    static void forward(InputStream stderr, String prefix) {
        Thread.ofVirtual().start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stderr, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    System.err.println(prefix + line);
                }
            } catch (IOException e) {
                // the process was killed
            }
        });
    }
}
