package layer45.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

import layer45.mnet.phy.linux.NetworkNamespace;

/**
 * Sets up one {@link PeerPath} for one measurement: the client's namespace (fresh each time) and the server, and
 * says how the client reaches it. Everything is registered with the measurement's {@link BenchCell}, which tears it
 * down. Addresses: the veth pair is 10.48.0.1 (host) and 10.48.0.2; layer45's namespaces see the host's loopback
 * at 10.45.0.254; slirp4netns' at 10.0.2.2; pasta's at the host's default gateway address.
 */
final class PeerPaths {

    static final String NAMESPACE_PREFIX = "l45pb-";
    static final Pattern LEFTOVER = Pattern.compile("l45pb-(\\d{1,10})-\\d+[abr]?");
    private static final String VETH_HOST = "10.48.0.1";
    private static final String VETH_CLIENT = "10.48.0.2";
    private static final String LAYER45_HOST = "10.45.0.254";
    private static final String SLIRP_HOST = "10.0.2.2";
    private static final long READY_SECONDS = 30;
    private static final AtomicInteger VETH_NUMBER = new AtomicInteger();

    /** A server: the command that runs it on an address and port, the line it prints once it serves. */
    record Server(String name, BiFunction<String, Integer, List<String>> command, Pattern ready, int nsPort,
            List<String> protocols) {
    }

    /** How the client reaches the server on this path: the command prefix that runs it there, and where to go. */
    record Reach(List<String> client, String address, int port, String namespace) {

        /** @return the prefix, then the command */
        List<String> command(List<String> command) {
            List<String> all = new ArrayList<>(client);
            all.addAll(command);
            return all;
        }
    }

    private final Path cliJar;
    private final String pastaHost;

    /**
     * @param cliJar the command-line client of the runtime, {@code layer45.cli/target/layer45.cli.jar}
     * @param pastaHost the host's default gateway address, which pasta maps to the host's loopback; null if none
     */
    PeerPaths(Path cliJar, String pastaHost) {
        this.cliJar = cliJar;
        this.pastaHost = pastaHost;
    }

    /** @return the host's IPv4 default gateway (pasta's way to the host's loopback), or null without one */
    static String defaultGateway() throws IOException, InterruptedException {
        String routes = run(List.of("ip", "-4", "route", "show", "default"), 10);
        var m = Pattern.compile("default via (\\S+)").matcher(routes);
        return m.find() ? m.group(1) : null;
    }

    /**
     * Sets the path up and starts the server behind it.
     *
     * @param runtime the running layer45 runtime, for layer45's paths (else ignored)
     * @return how the client reaches the server
     */
    Reach open(BenchCell cell, PeerPath path, int mtu, Server server, RuntimeProcess runtime) throws Exception {
        String base = BenchNamespace.next(NAMESPACE_PREFIX);
        switch (path) {
            case VETH -> {
                String ns = cell.namespace(NetworkNamespace.create(base + "a")).name();
                String hostEnd = "l45pv" + ProcessHandle.current().pid() % 100_000 + "x"
                        + VETH_NUMBER.getAndIncrement() % 100;
                run(List.of("ip", "link", "add", hostEnd, "mtu", Integer.toString(mtu), "type", "veth", "peer", "name",
                        "l45pvc", "mtu", Integer.toString(mtu), "netns", ns), 10);
                run(List.of("ip", "addr", "add", VETH_HOST + "/30", "dev", hostEnd), 10);
                run(List.of("ip", "link", "set", hostEnd, "up"), 10);
                run(List.of("ip", "-n", ns, "addr", "add", VETH_CLIENT + "/30", "dev", "l45pvc"), 10);
                run(List.of("ip", "-n", ns, "link", "set", "l45pvc", "up"), 10);
                run(List.of("ip", "-n", ns, "link", "set", "lo", "up"), 10);
                int port = freePort(VETH_HOST);
                startServer(cell, server.command().apply(VETH_HOST, port), server);
                return new Reach(List.of("ip", "netns", "exec", ns), VETH_HOST, port, ns);
            }
            case LAYER45, LAYER45_BOTH, LAYER45_TAGS -> {
                String ns = cell.namespace(NetworkNamespace.create(base + "a")).name();
                int port = freePort("127.0.0.1");
                if (path.serverInLayer45()) {
                    String serverNs = cell.namespace(NetworkNamespace.create(base + "b")).name();
                    List<String> command = new ArrayList<>(exec(runtime, serverNs));
                    command.remove(command.size() - 1); // the "--": forwards go before it
                    for (String protocol : server.protocols()) {
                        command.addAll(List.of("--forward", protocol + ":" + port + ":" + server.nsPort()));
                    }
                    command.add("--");
                    command.addAll(server.command().apply("0.0.0.0", server.nsPort()));
                    startServer(cell, command, server);
                } else {
                    startServer(cell, server.command().apply("127.0.0.1", port), server);
                }
                return new Reach(exec(runtime, ns), LAYER45_HOST, port, ns);
            }
            case PASTA -> {
                if (pastaHost == null) {
                    throw new IllegalStateException("pasta maps the host's loopback to the default gateway's address,"
                            + " and this host has no IPv4 default route; skip pasta with --paths");
                }
                int port = freePort("127.0.0.1");
                startServer(cell, server.command().apply("127.0.0.1", port), server);
                // As root pasta would switch to nobody and then fail to map users: --runas 0 keeps root.
                return new Reach(List.of("pasta", "--runas", "0", "--config-net", "--quiet", "-m",
                        Integer.toString(mtu), "--"), pastaHost, port, null);
            }
            case SLIRP -> {
                String ns = cell.namespace(NetworkNamespace.create(base + "a")).name();
                Process slirp = cell.process(new ProcessBuilder("slirp4netns", "--configure", "--mtu=" + mtu,
                        "--netns-type=path", "/run/netns/" + ns, "tap0").redirectErrorStream(true).start());
                LoadProcess.lines(slirp.getInputStream()); // drained, so that it never blocks on its output
                awaitTap(ns, slirp);
                int port = freePort("127.0.0.1");
                startServer(cell, server.command().apply("127.0.0.1", port), server);
                return new Reach(List.of("ip", "netns", "exec", ns), SLIRP_HOST, port, ns);
            }
            default -> throw new IllegalArgumentException(path.label);
        }
    }

    /** @return the client command that runs a program in {@code namespace} attached to the runtime, up to "--" */
    List<String> exec(RuntimeProcess runtime, String namespace) {
        if (runtime == null) {
            throw new IllegalStateException("a layer45 path needs the runtime running");
        }
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", cliJar.toString(), "layer45.cli.Main", "exec",
                "--socket", runtime.controlSocket().toString(), "--netns", namespace, "--join", "--");
    }

    /** Waits until slirp4netns configured tap0 in the namespace (its address is there). */
    private static void awaitTap(String ns, Process slirp) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_SECONDS);
        // every address of the namespace, one a line: no error before tap0 exists
        while (!run(List.of("ip", "-n", ns, "-4", "-o", "addr", "show"), 10).matches("(?s).*tap0\\s+inet .*")) {
            if (!slirp.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("slirp4netns did not configure tap0 in " + ns + " within "
                        + READY_SECONDS + " s (" + (slirp.isAlive() ? "running" : "exit " + slirp.exitValue()) + ")");
            }
            Thread.sleep(20);
        }
    }

    /** Starts the server and waits for its ready line; its output after that goes to our standard error. */
    private static void startServer(BenchCell cell, List<String> command, Server server) throws Exception {
        Process process = cell.process(new ProcessBuilder(command).redirectErrorStream(true).start());
        BlockingQueue<String> lines = LoadProcess.lines(process.getInputStream());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_SECONDS);
        StringBuilder seen = new StringBuilder();
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null || line.equals("<eof>")) {
                throw new IllegalStateException(server.name() + " did not start (" + String.join(" ", command)
                        + "): " + (line == null ? "no ready line in " + READY_SECONDS + " s" : "it ended")
                        + "; its output:\n" + seen);
            }
            seen.append(line).append('\n');
            if (server.ready().matcher(line).find()) {
                return;
            }
        }
    }

    /** @return a TCP and UDP port free on that host address now (the kernel's pick, released at once) */
    static int freePort(String address) throws IOException {
        InetAddress at = InetAddress.ofLiteral(address);
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket tcp = new ServerSocket()) {
                tcp.bind(new InetSocketAddress(at, 0));
                int port = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(at, port))) {
                    return port;
                } catch (IOException e) {
                    // taken for UDP: another one
                }
            }
        }
        throw new IllegalStateException("no port free for both TCP and UDP on " + address + " in 20 attempts");
    }

    /**
     * Runs a command to its end and returns its output (standard error included); fails with the output if it
     * fails, and kills it (and what it started) if it runs past {@code seconds}.
     */
    static String run(List<String> command, long seconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(output lost: " + e + ")";
            }
        }, Thread::startVirtualThread);
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish in " + seconds
                    + " s and was killed; its output:\n" + output.getNow(""));
        }
        String text;
        try {
            text = output.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            text = "(output not read: a process it started still holds it)";
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): "
                    + text.strip());
        }
        return text;
    }
}
