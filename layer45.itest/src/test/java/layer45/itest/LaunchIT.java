package layer45.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The quick start's {@code ./layer45 start}, as a user runs it: the runnable jar exported from
 * {@code cnf/layer45.bndrun} starts as its own process with the real assembly (the API as a bundle), answers Gogo
 * commands on standard input, and shuts down cleanly on {@code stop 0}.
 */
class LaunchIT {

    private static final long TIMEOUT_SECONDS = 60;

    @Test
    void theRunnableJarStartsEveryBundleAndTheRuntimeAndStopsCleanly() throws Exception {
        Path jar = Path.of(System.getProperty("layer45.it.runtimeJar"));
        assertTrue(Files.isRegularFile(jar), "cnf exported " + jar);
        Path work = Files.createTempDirectory("layer45-launch");
        Process process = null;
        try {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                    "--sun-misc-unsafe-memory-access=deny", "--add-opens=java.base/java.net=ALL-UNNAMED",
                    "-Djava.util.logging.SimpleFormatter.format=%1$tF %1$tT %4$-7s %3$s: %5$s%6$s%n", "-jar",
                    jar.toString()).directory(work.toFile()).redirectErrorStream(true).start();
            List<String> output = new ArrayList<>();
            Thread reader = drain(process, output);
            try (OutputStream stdin = process.getOutputStream()) {
                waitFor(output, "Welcome to Apache Felix Gogo"); // the prompt itself ends no line
                command(stdin, "lb");
                waitFor(output, "JLine Bundle");
                command(stdin, "scr:list");
                waitFor(output, "layer45.runtime.osgi.RuntimeComponent");
                command(stdin, "stop 0");
            }
            assertTrue(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "stop 0 ends the process");
            reader.join(10_000);
            String all = String.join("\n", snapshot(output));
            // bnd's launcher reports a framework stopped on request as STOPPED (117); ./layer45 start maps it to 0.
            assertEquals(117, process.exitValue(), all);
            assertTrue(all.contains("layer45 runtime started"), all);
            assertTrue(all.contains("layer45 runtime stopped"), "stopped cleanly: " + all);
            Matcher bundles = Pattern.compile("(?m)^\\s*\\d+\\|(\\w+)\\s*\\|").matcher(all);
            int count = 0;
            while (bundles.find()) {
                assertEquals("Active", bundles.group(1), all);
                count++;
            }
            assertEquals(1 + runBundles(jar), count, "the system bundle and every resolved bundle: " + all);
            assertTrue(all.contains("layer45 customization API"), "the API is a bundle of its own: " + all);
            assertTrue(Pattern.compile("RuntimeComponent in bundle \\d+ \\(layer45.runtime[^)]*\\) enabled, 1 instance")
                    .matcher(all).find(), all);
            assertTrue(all.contains("State:ACTIVE"), all);
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            try (Stream<Path> files = Files.walk(work)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** @return how many bundles cnf/layer45.bndrun lists in -runbundles (next to cnf/target/layer45.jar) */
    private static int runBundles(Path jar) throws IOException {
        String bndrun = Files.readString(jar.getParent().getParent().resolve("layer45.bndrun"));
        String list = bndrun.substring(bndrun.indexOf("-runbundles:"));
        return (int) Pattern.compile("version='").matcher(list).results().count();
    }

    private static void command(OutputStream stdin, String line) throws IOException {
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    private static Thread drain(Process process, List<String> output) {
        return Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null;) {
                    synchronized (output) {
                        output.add(line);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        });
    }

    private static List<String> snapshot(List<String> output) {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    private static void waitFor(List<String> output, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (System.nanoTime() < deadline) {
            if (snapshot(output).stream().anyMatch(line -> line.contains(text))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("'" + text + "' did not appear within " + TIMEOUT_SECONDS + " s; output:\n"
                + String.join("\n", snapshot(output)));
    }
}
