package layer45.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import layer45.mnet.phy.linux.NetworkNamespace;

/**
 * The layer45 runtime as {@code ./layer45 start} runs it (the runnable jar, the script's JVM flags), in a process of
 * its own with a namespace, TUN link, control socket, autoload folder and framework storage no other runtime on the
 * machine uses. Gogo commands are typed into its console (standard input), as an operator would; its log (standard
 * error) goes to a file.
 */
final class RuntimeProcess implements AutoCloseable {

    private static final long START_SECONDS = 60;
    private static final long COMMAND_SECONDS = 30;

    private final Process process;
    private final Path work;
    private final String namespace;
    private final Path controlSocket;
    private final OutputStream console;
    private final StringBuilder out = new StringBuilder();
    private final StringBuilder log = new StringBuilder();
    private int consumed;
    private int commands;

    private RuntimeProcess(Process process, Path work, String namespace, Path controlSocket) {
        this.process = process;
        this.work = work;
        this.namespace = namespace;
        this.controlSocket = controlSocket;
        this.console = process.getOutputStream();
        read(process.getInputStream(), out);
        read(process.getErrorStream(), log);
    }

    /**
     * Starts the runtime and waits until its stack runs.
     *
     * @param root the checkout (its {@code layer45} script, {@code conf/layer45.conf}, {@code cnf/target/layer45.jar})
     * @param work a fresh folder for the control socket, the autoload folder and the framework's storage; deleted by
     *        {@link #close()}
     * @param namespace the stack's own namespace, a name no other runtime uses
     * @param tun the stack's TUN link name (at most 15 characters)
     * @param jvmFlags extra JVM flags (a JFR recording)
     * @param settings runtime settings, {@code key=value} ({@code net.mtu=1500})
     */
    static RuntimeProcess start(Path root, Path work, String namespace, String tun, List<String> jvmFlags,
            List<String> settings) throws IOException, InterruptedException {
        Files.createDirectories(work.resolve("autoload"));
        Path socket = work.resolve("control.sock");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(scriptFlags(root.resolve("scripts/java.sh")));
        command.addAll(jvmFlags);
        command.add("-Dlayer45.home=" + work);
        command.add("-Dlayer45.config=" + root.resolve("conf/layer45.conf"));
        command.add("-Dlayer45.autoload.dir=" + work.resolve("autoload"));
        command.add("-Dorg.osgi.framework.storage=" + work.resolve("framework"));
        command.add("-Dlayer45.control.socket=" + socket);
        command.add("-Dlayer45.net.netns=" + namespace);
        command.add("-Dlayer45.net.tun=" + tun);
        for (String setting : settings) {
            command.add("-Dlayer45." + setting);
        }
        command.addAll(List.of("-jar", root.resolve("cnf/target/layer45.jar").toString()));
        RuntimeProcess runtime = new RuntimeProcess(new ProcessBuilder(command).directory(work.toFile()).start(),
                work, namespace, socket);
        // Ctrl-C or TERM: the runtime stops too (its console would also end it, once this process is gone).
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(runtime::close));
        try {
            runtime.await(() -> runtime.log().contains("layer45: network stack on"), START_SECONDS,
                    "the runtime's network stack to start");
            runtime.run("echo ready");
        } catch (IOException | InterruptedException | RuntimeException e) {
            runtime.close();
            throw e;
        }
        return runtime;
    }

    /** The JVM flags of {@code runtime_flags} in {@code scripts/java.sh}, so the runtime runs as it would. */
    private static List<String> scriptFlags(Path script) throws IOException {
        List<String> lines = Files.readAllLines(script);
        int start = lines.indexOf("runtime_flags() {");
        if (start < 0) {
            throw new IllegalStateException(script + " has no runtime_flags function to read the JVM flags from");
        }
        List<String> flags = new ArrayList<>();
        for (String line : lines.subList(start + 2, lines.size())) { // after "printf '%s\n' \"
            String flag = line.strip().replaceAll("\\s*\\\\$", "");
            if (flag.equals("}")) {
                break;
            }
            flags.add(flag.startsWith("'") && flag.endsWith("'") ? flag.substring(1, flag.length() - 1) : flag);
        }
        return flags;
    }

    private void read(InputStream stream, StringBuilder into) {
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                char[] buffer = new char[8192];
                for (int n; (n = reader.read(buffer)) > 0; ) {
                    synchronized (this) {
                        into.append(buffer, 0, n);
                        notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        });
    }

    synchronized String log() {
        return log.toString();
    }

    long pid() {
        return process.pid();
    }

    String namespace() {
        return namespace;
    }

    Path controlSocket() {
        return controlSocket;
    }

    /** @return the folder the runtime watches for customization jars */
    Path autoload() {
        return work.resolve("autoload");
    }

    /**
     * Types a Gogo command into the console and waits for its output.
     *
     * @return what the shell printed for it, prompts left out
     */
    String run(String command) throws IOException, InterruptedException {
        String marker = "==done-" + ++commands + "==";
        console.write((command + "\necho '" + marker + "'\n").getBytes(StandardCharsets.UTF_8));
        console.flush();
        await(() -> {
            int at = out.indexOf(marker, consumed);
            return at >= 0 && out.indexOf("\n", at) >= 0;
        }, COMMAND_SECONDS, "the output of '" + command + "'");
        synchronized (this) {
            int at = out.indexOf(marker, consumed);
            String output = out.substring(consumed, at);
            consumed = out.indexOf("\n", at) + 1;
            return output.replaceAll("(?m)^(g! )+", "").strip();
        }
    }

    /** @return the runtime's resident memory, from {@code /proc/PID/status}, in KiB */
    long residentKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring(6).strip().split("\\s+")[0]);
            }
        }
        throw new IllegalStateException("/proc/" + process.pid() + "/status has no VmRSS line");
    }

    /** @return the runtime process's CPU time (all threads, user and system), in nanoseconds */
    long cpuNanos() throws IOException {
        return ProcStat.cpuNanos(process.pid());
    }

    private void await(java.util.function.BooleanSupplier condition, long seconds, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        synchronized (this) {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !process.isAlive()) {
                    throw new IllegalStateException("gave up waiting for " + what + " after " + seconds
                            + " s (runtime " + (process.isAlive() ? "running" : "ended with " + process.exitValue())
                            + "); its log:\n" + log);
                }
                wait(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, 100));
            }
        }
    }

    /**
     * Stops the runtime ({@code stop 0}, as an operator would), or kills it; its namespace and its folder (framework
     * storage, autoload folder, control socket) go either way. Idempotent: the shutdown hook calls it too.
     */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                console.write("stop 0\n".getBytes(StandardCharsets.UTF_8));
                console.flush();
            }
        } catch (IOException e) {
            // the console is gone: the process ends anyway, or is killed below
        }
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        if (NetworkNamespace.list().contains(namespace)) {
            NetworkNamespace.delete(namespace);
        }
        if (!Files.exists(work)) {
            return;
        }
        try (var paths = Files.walk(work)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            System.err.println("peers-bench: could not delete the runtime's folder " + work + ": " + e);
        }
    }
}
