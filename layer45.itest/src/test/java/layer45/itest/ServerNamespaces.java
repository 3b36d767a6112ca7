package layer45.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import layer45.customizations.dnstag.DnsTag;

import org.junit.jupiter.api.Assumptions;

/**
 * The setting of the end-to-end customization tests, as an operator builds it: the runtime ({@code ./layer45
 * start}), a {@code dnsmasq} and a {@code python3 -m http.server}, each started with {@code ./layer45 exec} in a
 * namespace of its own behind a port forward, and clients ({@code dig}, {@code curl}) in the runtime's namespace.
 *
 * <p>The runtime sends the DNS of its namespaces to the dnsmasq's forward ({@code net.dns=127.0.0.1:PORT}), so
 * {@code dig NAME} with the namespace's own resolver reaches it: dig's flow (remote port 53) in the client namespace,
 * dnsmasq's flow (local port 53) in its own, and the host's loopback between them, where a test captures the wire.
 * The web server listens on port {@value #WEB_PORT} in its namespace; clients reach it at
 * {@value #HOST4}:{@link #webPort()}, the forward's host port. Every host port is picked free at run time.
 */
final class ServerNamespaces implements AutoCloseable {

    /** The host's 127.0.0.1, seen from a namespace. */
    static final String HOST4 = "10.45.0.254";
    /** A namespace's own address, where forwards go. */
    static final String NS4 = "10.45.0.2";
    /** The web server's port in its namespace: bulk-tag's and aes-gcm's default. */
    static final int WEB_PORT = 8000;
    /** The name dnsmasq answers, and its address. */
    static final String NAME = "example.test";
    static final String NAME_ADDRESS = "192.0.2.7";
    private static final List<String> TOOLS = List.of("dig", "dnsmasq", "curl", "python3", "ss", "timeout",
            "dumpcap", "tshark");

    private final Path work;
    private final List<AutoCloseable> running = new ArrayList<>();
    private RuntimeConsole runtime;
    private BackgroundProgram dnsmasq;
    private BackgroundProgram web;
    private String dnsNamespace;
    private String webNamespace;
    private int dnsPort;
    private int webPort;

    private ServerNamespaces(Path work) {
        this.work = work;
    }

    /** Skips the test class unless the host has what it needs: root, a TUN device and the programs. */
    static void assumePossible() {
        Assumptions.assumeTrue(TestNetns.privileged(), "needs root and /dev/net/tun for the stack's TUN links");
        for (String tool : TOOLS) {
            Assumptions.assumeTrue(Programs.tool(tool) != null, "needs " + tool + ": scripts/deps.sh installs it");
        }
    }

    /**
     * Starts the runtime and the two servers.
     *
     * @param name what the session is, for the transcript and the namespaces' names
     * @param transcript where the runtime's transcript is appended
     * @param properties more runtime settings, {@code layer45.KEY=VALUE}
     */
    static ServerNamespaces start(String name, Path transcript, String... properties) throws Exception {
        Path jar = Path.of(System.getProperty("layer45.it.runtimeJar"));
        assertTrue(Files.isRegularFile(jar), "cnf exported " + jar + ": build it with mvn package first");
        Path work = Files.createTempDirectory("layer45-" + name.replaceAll("[^A-Za-z0-9]+", "-"));
        ServerNamespaces servers = new ServerNamespaces(work);
        try {
            servers.startAll(name, transcript, jar, properties);
        } catch (Throwable t) {
            servers.close();
            throw t;
        }
        return servers;
    }

    private void startAll(String name, Path transcript, Path jar, String... properties) throws Exception {
        dnsPort = FreePorts.pick();
        webPort = FreePorts.pick();
        List<String> settings = new ArrayList<>(List.of("layer45.net.dns=127.0.0.1:" + dnsPort));
        settings.addAll(List.of(properties));
        runtime = RuntimeConsole.start(name, transcript, jar, work, work.resolve("autoload"),
                settings.toArray(String[]::new));
        assertTrue(runtime.err().contains("layer45: network stack on "), "the stack is on: " + runtime.transcript());
        Files.createDirectories(site());
        dnsNamespace = TestNetns.name("dns" + name);
        dnsmasq = started(Exec.start(runtime, dnsNamespace, List.of("udp:" + dnsPort + ":53"), 600, "dnsmasq",
                Programs.dnsmasq(NS4, 53, NAME, NAME_ADDRESS)));
        webNamespace = TestNetns.name("web" + name);
        web = started(Exec.start(runtime, webNamespace, List.of("tcp:" + webPort + ":" + WEB_PORT), 600,
                "python3 -m http.server", Programs.tool("python3"), "-m", "http.server", Integer.toString(WEB_PORT),
                "--bind", NS4, "--directory", site().toString()));
        Programs.awaitListening(dnsNamespace, "udp", 53, dnsmasq);
        Programs.awaitListening(webNamespace, "tcp", WEB_PORT, web);
    }

    private BackgroundProgram started(BackgroundProgram program) {
        running.addFirst(program);
        return program;
    }

    /** @return the runtime's console */
    RuntimeConsole runtime() {
        return runtime;
    }

    /** @return a scratch directory, deleted at the end */
    Path work() {
        return work;
    }

    /** @return the directory the web server serves */
    Path site() {
        return work.resolve("site");
    }

    /** @return the host port forwarded to dnsmasq, and net.dns */
    int dnsPort() {
        return dnsPort;
    }

    /** @return the host port forwarded to the web server */
    int webPort() {
        return webPort;
    }

    /** @return the URL of a file the web server serves, as clients in the runtime's namespace reach it */
    String url(String file) {
        return "http://" + HOST4 + ":" + webPort + "/" + file;
    }

    /** @return what dnsmasq logged so far */
    String dnsmasqOutput() {
        return dnsmasq.output();
    }

    /** @return what the web server logged so far */
    String webOutput() {
        return web.output();
    }

    /** Runs a client in the runtime's namespace, to its end. */
    ProcessResult client(long seconds, String... command) throws IOException, InterruptedException {
        return Programs.inNamespace(runtime.namespace(), seconds, command);
    }

    /** Starts a client in the runtime's namespace, in the background. */
    BackgroundProgram clientInBackground(String label, long seconds, String... command) throws IOException {
        return BackgroundProgram.start(label, seconds,
                Programs.withPrefix(List.of("ip", "netns", "exec", runtime.namespace()), command));
    }

    /**
     * Asks the namespace's resolver (the stack, then net.dns) for {@value #NAME} with dig, once, waiting a second.
     *
     * @return how dig ended
     */
    ProcessResult dig() throws IOException, InterruptedException {
        return client(10, "dig", NAME, "+short", "+time=1", "+tries=1");
    }

    /**
     * Runs dig a number of times, capturing the host's loopback for dnsmasq's forward.
     *
     * @param digs how many times
     * @return the queries on the wire, one per dig, after checking that dig got its answer each time and that the
     *         answers came back as plain DNS
     */
    List<byte[]> digsCapturingQueries(int digs) throws IOException, InterruptedException {
        try (LoopbackCapture capture = LoopbackCapture.start(work, "udp port " + dnsPort, 100)) {
            for (int i = 0; i < digs; i++) {
                ProcessResult dig = dig();
                assertEquals(NAME_ADDRESS, dig.stdout().strip(), "dig is answered\n" + dig + context());
            }
            List<LoopbackCapture.Segment> wire = capture.stop();
            List<byte[]> queries = LoopbackCapture.payloadsTo(wire, dnsPort);
            List<byte[]> answers = LoopbackCapture.payloadsFrom(wire, dnsPort);
            assertEquals(List.of(digs, digs), List.of(queries.size(), answers.size()), "one query and one answer per"
                    + " dig on the wire");
            for (byte[] answer : answers) {
                assertEquals(Optional.empty(), DnsTag.parse(ByteBuffer.wrap(answer)), "the answer is plain DNS: "
                        + HexFormat.of().formatHex(answer));
            }
            return queries;
        }
    }

    /**
     * Downloads a file the web server serves with curl in the runtime's namespace.
     *
     * @param file the file's name in {@link #site()}
     * @param to where curl saves it
     * @param seconds how long curl may take
     * @return how curl ended; it prints the bytes it received
     */
    ProcessResult curl(String file, Path to, long seconds) throws IOException, InterruptedException {
        return client(seconds, curlCommand(file, to));
    }

    /**
     * Starts a download like {@link #curl}, in the background.
     *
     * @param options more of curl's options, such as {@code --limit-rate 8M}
     */
    BackgroundProgram curlInBackground(String file, Path to, long seconds, String... options) throws IOException {
        return clientInBackground("curl " + file, seconds, curlCommand(file, to, options));
    }

    private String[] curlCommand(String file, Path to, String... options) {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-o", to.toString(), "-w",
                "%{size_download} bytes\n"));
        command.addAll(List.of(options));
        command.add(url(file));
        return command.toArray(String[]::new);
    }

    /** @return the failure message's tail: the runtime's transcript and the servers' output */
    String context() {
        return "\n" + dnsmasq.output() + "\n" + web.output() + "\ntranscript:\n" + runtime.transcript();
    }

    /**
     * Stops the servers with SIGTERM, as Ctrl-C would, and the runtime with {@code stop 0}, and checks that every
     * namespace went with them.
     *
     * @throws AssertionError if something was left behind
     */
    void stopCleanly() throws Exception {
        for (BackgroundProgram server : List.of(dnsmasq, web)) {
            ProcessResult ended = server.stop(20);
            // the client passes SIGTERM on: dnsmasq ends with 0, python3 with 143 (killed by it)
            assertTrue(ended.exitCode() == 0 || ended.exitCode() == 143, "exec passed SIGTERM on: " + ended);
        }
        for (String namespace : List.of(dnsNamespace, webNamespace)) {
            assertFalse(TestNetns.exists(namespace), "the runtime deleted " + namespace + " when exec ended");
        }
        runtime.send("stop 0");
        // bnd's launcher reports a framework stopped on request as STOPPED (117)
        assertEquals(117, runtime.awaitExit(), runtime.transcript());
        assertFalse(TestNetns.exists(runtime.namespace()), "the runtime deleted its namespace");
    }

    /** Kills what still runs (the servers, then the runtime), deletes the namespaces left and the files. */
    @Override
    public void close() throws Exception {
        List<AutoCloseable> steps = new ArrayList<>(running);
        steps.add(() -> {
            if (runtime != null) {
                runtime.close();
            }
        });
        for (String namespace : new String[] { dnsNamespace, webNamespace }) {
            if (namespace != null) {
                steps.add(() -> TestNetns.deleteIfLeft(namespace));
            }
        }
        steps.add(() -> OsgiFixture.delete(work));
        Exception failure = null;
        for (AutoCloseable step : steps) {
            try {
                step.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
