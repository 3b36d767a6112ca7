package layer45.mnet.owner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

import layer45.mnet.phy.linux.CommandResult;
import layer45.mnet.testing.TestNamespace;

/**
 * A test namespace with {@code lo} and a TUN link {@code d0} that nothing reads, holding 10.45.0.2/24 and
 * fd45::2/64 (packets to other addresses of those subnets go nowhere, so a connect to 10.45.0.3 hangs in
 * SYN-SENT; the kernel has no dummy links here),
 * and python3 programs running in it. {@link #close()} ends every program and its children, then deletes the
 * namespace, whatever happened.
 */
final class TestPrograms implements AutoCloseable {

    static final String APP_V4 = "10.45.0.2";
    static final String APP_V6 = "fd45::2";
    static final String DROPPED_V4 = "10.45.0.3";
    static final String DROPPED_V6 = "fd45::3";

    /** What every program starts with: naming itself and its threads, saying things, waiting for stdin's end. */
    private static final String PRELUDE = """
            import os, socket, sys, threading, time
            def name(n): open('/proc/self/comm', 'w').write(n)
            def thread_name(n): open('/proc/self/task/%d/comm' % threading.get_native_id(), 'w').write(n)
            def say(*words): print(*words, flush=True)
            def ino(s): return os.fstat(s.fileno()).st_ino
            def wait(): sys.stdin.read()
            """;

    private final TestNamespace namespace;
    private final List<Program> programs = new ArrayList<>();

    private TestPrograms(TestNamespace namespace) {
        this.namespace = namespace;
    }

    /** Creates the namespace and its links; skips the test unless root and python3 are there. */
    static TestPrograms create() {
        TestNamespace.assumeRoot();
        Assumptions.assumeTrue(onPath("python3"), "needs python3 on the PATH");
        TestPrograms programs = new TestPrograms(TestNamespace.create());
        try {
            programs.ip("link", "set", "lo", "up");
            programs.ip("tuntap", "add", "dev", "d0", "mode", "tun");
            programs.ip("addr", "add", APP_V4 + "/24", "dev", "d0");
            programs.ip("addr", "add", APP_V6 + "/64", "dev", "d0", "nodad");
            programs.ip("link", "set", "d0", "up");
            return programs;
        } catch (RuntimeException | Error e) {
            programs.close();
            throw e;
        }
    }

    /** @return the namespace's name */
    String name() {
        return namespace.name();
    }

    private void ip(String... arguments) {
        String[] command = new String[arguments.length + 1];
        command[0] = "ip";
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        CommandResult result = namespace.exec(command);
        assertEquals(0, result.exitCode(), () -> String.join(" ", command) + ": " + result);
    }

    /**
     * Starts {@code python3 -u -c PRELUDE+script} in the namespace.
     *
     * @param script python after the prelude
     * @return the running program
     */
    Program start(String script) {
        Process process = namespace.namespace().start("python3", "-u", "-c", PRELUDE + script);
        Program program = new Program(process);
        programs.add(program);
        return program;
    }

    /**
     * Starts any program in the namespace.
     *
     * @param command the program and its arguments
     * @return the running program
     */
    Program run(String... command) {
        Program program = new Program(namespace.namespace().start(command));
        programs.add(program);
        return program;
    }

    /** Ends the programs (stdin closed, then killed with their children) and deletes the namespace. */
    @Override
    public void close() {
        try {
            for (Program program : programs) {
                program.end();
            }
        } finally {
            namespace.close();
        }
    }

    static boolean onPath(String program) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!directory.isEmpty() && java.nio.file.Files.isExecutable(java.nio.file.Path.of(directory, program))) {
                return true;
            }
        }
        return false;
    }

    /** A python program: its output lines of {@code key=value} words, its stdin. */
    static final class Program {
        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final StringBuilder errors = new StringBuilder();

        Program(Process process) {
            this.process = process;
            Thread.ofVirtual().start(() -> copy(new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8)), true));
            Thread.ofVirtual().start(() -> copy(new BufferedReader(new InputStreamReader(process.getErrorStream(),
                    StandardCharsets.UTF_8)), false));
        }

        private void copy(BufferedReader reader, boolean out) {
            try (reader) {
                for (String line; (line = reader.readLine()) != null; ) {
                    if (out) {
                        lines.add(line);
                    } else {
                        synchronized (errors) {
                            errors.append(line).append('\n');
                        }
                    }
                }
            } catch (IOException e) {
                // the program ended
            }
        }

        /** @return the process id (python itself: ip netns exec replaces itself with it) */
        int pid() {
            return (int) process.pid();
        }

        /**
         * Waits up to ten seconds for the next line, {@code WORD key=value ...}.
         *
         * @param word its first word
         * @return its values by key
         */
        Map<String, String> expect(String word) throws InterruptedException {
            String line = lines.poll(10, TimeUnit.SECONDS);
            if (line == null || !(line.equals(word) || line.startsWith(word + " "))) {
                String stderr;
                synchronized (errors) {
                    stderr = errors.toString();
                }
                throw new AssertionError("expected '" + word + " ...' from the program, got "
                        + (line == null ? "nothing in 10 s" : "'" + line + "'") + "; its stderr: " + stderr);
            }
            Map<String, String> values = new HashMap<>();
            for (String pair : line.split(" ")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    values.put(pair.substring(0, equals), pair.substring(equals + 1));
                }
            }
            return values;
        }

        /** Writes a line to its stdin. */
        void send(String line) throws IOException {
            OutputStream in = process.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        }

        void end() {
            try {
                process.getOutputStream().close();
            } catch (IOException e) {
                // already gone
            }
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
