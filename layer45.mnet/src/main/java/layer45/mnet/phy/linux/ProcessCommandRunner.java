package layer45.mnet.phy.linux;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs commands as child processes, collecting their output on virtual threads so no pipe fills up. */
final class ProcessCommandRunner implements CommandRunner {

    static final ProcessCommandRunner INSTANCE = new ProcessCommandRunner();

    private static final System.Logger LOG = System.getLogger("layer45.mnet");
    /** How long output readers may lag after the process ended (a background grandchild may hold the pipe). */
    private static final long READER_GRACE_MILLIS = 2000;

    private static volatile String ip;

    private ProcessCommandRunner() {
    }

    @Override
    public CommandResult run(List<String> command, Duration timeout) {
        String quoted = String.join(" ", command);
        LOG.log(Level.DEBUG, "running {0}", quoted);
        Process process = start(command);
        Collector stdout = new Collector(process.getInputStream());
        Collector stderr = new Collector(process.getErrorStream());
        try {
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                kill(process);
                throw new CommandFailedException("`" + quoted + "` did not finish within " + timeout.toMillis()
                        + " ms and was killed; its error output so far: " + stderr.text(READER_GRACE_MILLIS));
            }
            return new CommandResult(command, process.exitValue(), stdout.text(READER_GRACE_MILLIS),
                    stderr.text(READER_GRACE_MILLIS));
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new CommandFailedException("interrupted while waiting for `" + quoted + "`; it was killed", e);
        } catch (IOException e) {
            kill(process);
            throw new CommandFailedException("cannot talk to `" + quoted + "`: " + e.getMessage(), e);
        }
    }

    /**
     * @param command a command to start with inherited nothing but its own pipes
     * @return the started process
     * @throws CommandFailedException if it cannot start
     */
    static Process start(List<String> command) {
        try {
            return new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new CommandFailedException("cannot start `" + String.join(" ", command) + "`: " + e.getMessage(),
                    e);
        }
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /**
     * @return the path of the {@code ip} command of iproute2
     * @throws CommandFailedException if it is not installed
     */
    static String ip() {
        String found = ip;
        if (found == null) {
            List<String> directories = new ArrayList<>(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
            String path = System.getenv("PATH");
            if (path != null) {
                directories.addAll(List.of(path.split(":")));
            }
            for (String directory : directories) {
                Path candidate = Path.of(directory.isEmpty() ? "." : directory, "ip");
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    found = candidate.toString();
                    ip = found;
                    return found;
                }
            }
            throw new CommandFailedException("the ip command was not found in /usr/sbin, /sbin, /usr/bin, /bin or "
                    + "PATH: install iproute2 (apt-get install iproute2, dnf install iproute, apk add iproute2)");
        }
        return found;
    }

    /** Reads a stream to its end on a virtual thread. */
    private static final class Collector {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final Thread reader;

        Collector(InputStream stream) {
            reader = Thread.ofVirtual().name("command-output").start(() -> {
                try (stream) {
                    stream.transferTo(bytes);
                } catch (IOException e) {
                    // The process was killed and its pipe closed: keep what arrived.
                }
            });
        }

        String text(long waitMillis) throws InterruptedException {
            reader.join(waitMillis);
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
